"""One settings file, configured from the environment.

Local use needs nothing set: SQLite in the data folder and a secret key generated there.
Production (COMPASSION_ENV=production) needs SECRET_KEY and ALLOWED_HOSTS and turns on
secure cookies, HSTS and HTTPS redirects.
"""

import os
import secrets
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


class SettingsError(ImproperlyConfigured):
    """A setting is wrong or missing; the message names the variable in plain words."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


def env_networks(name: str) -> list[IPv4Network | IPv6Network]:
    """Comma-separated IP addresses or networks (10.0.0.0/8)."""
    try:
        return [ip_network(item, strict=False) for item in env_list(name)]
    except ValueError as error:
        raise SettingsError(
            f"{name} must list IP addresses or networks such as 127.0.0.1 or 10.0.0.0/8: {error}."
        ) from None


ENVIRONMENT = env_str("COMPASSION_ENV", "development").lower()
if ENVIRONMENT not in {"development", "production"}:
    raise SettingsError(f"COMPASSION_ENV must be development or production, not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("COMPASSION_DATA_DIR", "var")).resolve()


def secret_key() -> str:
    """Use SECRET_KEY; in development, keep a generated one in the data folder."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise SettingsError("SECRET_KEY must be set when COMPASSION_ENV is production.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "compassion.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise SettingsError(
            "DATABASE_URL must start with postgres:// (or sqlite://), "
            f"for example postgres://user:password@localhost:5432/compassion; got {url[:20]!r}."
        )
    config = dj_database_url.parse(url, conn_max_age=60)
    return dict(config)


SECRET_KEY = secret_key()
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise SettingsError("DEBUG must be off when COMPASSION_ENV is production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise SettingsError(
        "ALLOWED_HOSTS must list the site's host names (comma-separated) "
        "when COMPASSION_ENV is production."
    )
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's own form templates, for FORM_RENDERER
    "django_htmx",
    "template_partials",
    "axes",
    "compassion.core",
    "compassion.voices",
    "compassion.cases",
    "compassion.pulse",
    "compassion.commonground",
    "compassion.commitments",
    "compassion.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "compassion.core.middleware.CurrentOfficeMiddleware",
    "compassion.core.middleware.RenewActiveSessionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compassion.urls"
WSGI_APPLICATION = "compassion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "compassion.core.context_processors.navigation",
            ],
        },
    }
]

FORM_RENDERER = "compassion.core.forms.FormRenderer"

DATABASES = {"default": database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "compassion.core.access.client_ip"

# The reverse proxies (nginx, a load balancer) in front of the server: behind one, the address
# a request comes from is the proxy's, and the citizen's is in its X-Forwarded-For header.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "files"

# Largest attachment kept from an incoming message, in megabytes.
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 25)
# `compassion serve` checks the offices' mailboxes this often, in minutes (0: never).
MAIL_POLL_MINUTES = env_int("COMPASSION_MAIL_POLL_MINUTES", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email: sent by SMTP when a host is given. Otherwise each email is written to a file in
# the data folder's outbox/, not printed: emails hold casework, and a terminal is no place
# for it (nor for burying a command's own summary).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds before a silent mail server is given up on: an email is sent inside the
# transaction that records it, which must not stay open for as long as a server hangs.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "office@compassion.localhost")

# Content-Security-Policy: no inline scripts anywhere. Style attributes are allowed
# (they cannot run code) so that bars and meters can be sized from data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Logged out after this many hours in which no page was opened (a working day), so that an
# office computer left on overnight is not left logged in to casework
# (`core.middleware.RenewActiveSessionsMiddleware` keeps the session of someone at work).
SESSION_COOKIE_AGE = 60 * 60 * max(1, env_int("SESSION_IDLE_HOURS", 8))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True


def cache_settings(url: str) -> dict:
    """The cache named by CACHE_URL: this process's memory when empty (one process: the
    demo, the tests); `database`, a table shared by every server process, which
    `compassion serve` uses unless told otherwise; or a Redis server."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "compassion",
        }
    if url == "database":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "compassion_cache",
            # The insights keep a result per office, month and measure: Django's 300 would
            # be culled again and again.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise SettingsError(
        "CACHE_URL must be database, redis://host:6379/0 (or rediss:// for TLS), or empty "
        f"for this process's memory; got {url[:20]!r}."
    )


CACHES = {"default": cache_settings(env_str("CACHE_URL"))}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Anonymous survey results are never shown for fewer respondents than this.
PULSE_MIN_RESPONDENTS = max(3, env_int("PULSE_MIN_RESPONDENTS", 5))
