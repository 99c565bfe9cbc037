"""Signals the wall sends for those who follow it (search) without the wall knowing them."""

from django.dispatch import Signal

# Sent with `pages`, the WallPostPages that went live together in a bulk publish (see
# wall.publishing.publish_many), inside its transaction. Wagtail's page_published names one page.
wall_pages_published = Signal()
