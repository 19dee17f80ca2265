"""What sending an email raises when the mail server cannot be reached, does not answer in
time (`EMAIL_TIMEOUT`) or refuses the message: each page catches these and says so."""

from smtplib import SMTPException

MAIL_FAILURES = (SMTPException, OSError)
