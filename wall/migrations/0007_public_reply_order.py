from django.db import migrations


def number_public_replies(apps, schema_editor):
    """Pages published before their replies' sort_order was stored: number them in the order written."""
    WallPostReply = apps.get_model("wall", "WallPostReply")
    numbered, page_id, number = [], None, 0
    for reply in WallPostReply.objects.filter(sort_order=None).order_by("page_id", "pk").iterator():
        number = number + 1 if reply.page_id == page_id else 0
        page_id, reply.sort_order = reply.page_id, number
        numbered.append(reply)
    WallPostReply.objects.bulk_update(numbered, ["sort_order"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("wall", "0006_statistics_rollup")]

    operations = [migrations.RunPython(number_public_replies, migrations.RunPython.noop)]
