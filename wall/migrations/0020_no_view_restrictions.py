"""The wall's pages can no longer be made private in Wagtail (private_page_options = []), which also
takes away the way to lift a restriction set before: this lifts them. A restricted page's text was on
search, the API and the statistics all the same; wall.projection alone decides what is public."""

from django.db import migrations

PAGE_MODELS = [("home", "homepage"), ("wall", "wallindexpage"), ("wall", "wallyearpage"), ("wall", "wallpostpage")]


def lift_restrictions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    types = [
        content_type.pk
        for content_type in ContentType.objects.all()
        if (content_type.app_label, content_type.model) in PAGE_MODELS
    ]
    PageViewRestriction.objects.filter(page__content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0001_initial"),
        ("wall", "0019_office_settings"),
    ]

    operations = [migrations.RunPython(lift_restrictions, migrations.RunPython.noop)]
