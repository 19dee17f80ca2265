"""The office taxonomy of casework themes, shared by the lens and the apps."""

from django.db import models


class Theme(models.TextChoices):
    HOUSING = "housing", "Housing and repairs"
    BENEFITS = "benefits", "Benefits and Universal Credit"
    HEALTH = "health", "Health and NHS"
    IMMIGRATION = "immigration", "Immigration and visas"
    EDUCATION = "education", "Schools and SEND"
    TRANSPORT = "transport", "Transport"
    CRIME = "crime", "Crime and antisocial behaviour"
    ENVIRONMENT = "environment", "Environment"
    LOCAL_SERVICES = "local_services", "Local services"
    TAX_MONEY = "tax_money", "Tax and money"
    OTHER = "other", "Other"


# Themes whose casework reveals special-category data (see `SpecialCategory`: health and
# immigration status). A read-only volunteer does not see a case or message with one.
SENSITIVE_THEMES = (Theme.HEALTH, Theme.IMMIGRATION)
