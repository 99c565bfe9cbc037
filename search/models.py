from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedPage(models.Model):
    """One document of the embedded index: what filters, facets and highlights need.

    The tokens themselves live in full-text tables beside it (FTS5 on SQLite, a tsvector on
    PostgreSQL), created by this app's migrations and keyed by the same page id. It is a copy of a
    public page, never a link to the case; `search.documents` is the only thing that fills it.
    """

    page_id = models.PositiveBigIntegerField(_("page"), primary_key=True)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"))
    replies = models.TextField(_("public replies"), blank=True)
    url = models.CharField(_("URL"), max_length=255, blank=True)
    kind_id = models.PositiveBigIntegerField(_("kind"), null=True)
    kind_name = models.CharField(_("kind name"), max_length=60, blank=True)
    category_id = models.PositiveBigIntegerField(_("category"), null=True)
    category_name = models.CharField(_("category name"), max_length=60, blank=True)
    unit_id = models.PositiveBigIntegerField(_("unit"), null=True)
    unit_name = models.CharField(_("unit name"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("indexed page")
        verbose_name_plural = _("indexed pages")

    def __str__(self):
        return self.title


class SynonymSet(models.Model):
    """Words this campus uses for the same thing (宿舍 / 寝室), kept by editors.

    Every search applies the active sets when it runs (search.thesaurus), so an edit changes the
    next search with no rebuild of any index.
    """

    words = models.CharField(
        _("words"),
        max_length=300,
        help_text=_("Words that mean the same here, separated by /, e.g. 宿舍/寝室 or 失物招领/lost and found."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("synonyms")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return " / ".join(self.word_list())

    def word_list(self):
        return [word.strip() for word in self.words.replace("／", "/").split("/") if word.strip()]


class PageChange(models.Model):
    """A wall page was published, changed, withdrawn or deleted, and the index is to hear of it.

    Written in the change's own transaction, so that no change is lost to a write that failed, a task
    that never ran or a search service that was down: the tick writes what is still unwritten, and a
    rebuild writes again what was written while it ran (search.outbox). Written rows are kept a day.
    """

    page_id = models.PositiveBigIntegerField(_("page"), primary_key=True)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    indexed = models.BooleanField(_("in the index"), default=False)
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    # The writer writing it now (search.outbox), so that no other writes it at the same time.
    claim = models.UUIDField(_("claimed by"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["indexed", "changed_at"], name="search_pagechange_unwritten")]
        verbose_name = _("page change for the search index")
        verbose_name_plural = _("page changes for the search index")

    def __str__(self):
        return f"{self.page_id} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


def unwritten_page_ids():
    """The pages whose last change the index has not heard of: every search leaves them out
    (search.outbox). Few or none, but for the minutes a search service is down."""
    return list(PageChange.objects.filter(indexed=False).values_list("page_id", flat=True))


# The same in SQL, for the embedded backends to leave them out in the statement that searches: read
# apart, a change committed between the two would be found by its old words. `= false`, not `NOT`,
# so that the index on (indexed, changed_at) finds them.
UNWRITTEN_PAGES_SQL = f"SELECT page_id FROM {PageChange._meta.db_table} WHERE indexed = false"  # noqa: S608
