import hashlib

from django.db import migrations


def fill_digests(apps, schema_editor):
    """Messages quarantined before 0008 get the digest of their stored bytes, so that
    importing them again finds them instead of keeping another copy."""
    quarantined = apps.get_model("voices", "QuarantinedMessage")
    for item in quarantined.objects.filter(digest="").iterator():
        digest = hashlib.sha256()
        try:
            for chunk in item.raw.chunks():
                digest.update(chunk)
        except (OSError, ValueError):
            continue  # its file is gone: there is nothing to match against
        quarantined.objects.filter(pk=item.pk).update(digest=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("voices", "0008_quarantine_digest"),
    ]

    operations = [
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
    ]
