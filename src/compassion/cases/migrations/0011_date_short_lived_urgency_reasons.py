from django.db import migrations
from django.utils import timezone

# As `cases.models.SHORT_LIVED_KINDS` and the lens's labels for them, when this was written.
SHORT_LIVED = {
    "eviction": "Eviction or homelessness imminent",
    "deadline": "A court date or deadline within days",
}


def date_short_lived_reasons(apps, schema_editor):
    """Cases made urgent before `urgency_reason` dated a risk counted in days get the date of
    the latest message that showed it, as new ones do."""
    case_model = apps.get_model("cases", "Case")
    voice_model = apps.get_model("voices", "Voice")
    labels = set(SHORT_LIVED.values())
    for case in case_model.objects.filter(urgent=True).iterator():
        if not labels & set(case.urgency_reasons):
            continue
        written = {}
        for voice in voice_model.objects.filter(case=case, urgent=True).order_by("received_at"):
            for flag in voice.flags or []:
                if isinstance(flag, dict) and flag.get("kind") in SHORT_LIVED:
                    written[SHORT_LIVED[flag["kind"]]] = voice.received_at
        case.urgency_reasons = [
            dated(reason, written[reason]) if reason in written else reason
            for reason in case.urgency_reasons
        ]
        case.save(update_fields=["urgency_reasons"])


def dated(label, when):
    local = timezone.localtime(when)
    return f"{label} (as of {local.day} {local:%b %Y})"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_chase_urgent_cases_sooner"),
        ("voices", "0009_fill_quarantine_digests"),
    ]

    operations = [
        migrations.RunPython(date_short_lived_reasons, migrations.RunPython.noop),
    ]
