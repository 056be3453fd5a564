"""Paging a list in the browser without counting the whole table on every request.

An exact ``COUNT(*)`` costs time in proportion to the rows it counts: 15 ms over 25,000
signals of a region, more over the access log, the table that grows fastest
(docs/scaling.md), and it would keep growing for ten years. These lists count at most
``COUNT_LIMIT`` rows; beyond that the page says "meer dan 1.000" and offers "Volgende" for
as long as there is a next row, found by reading one row more than a page.

It lives in ``accounts`` because every app may import from here: the register, the case,
referral and trajectory lists, and the audit log page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 1000


class BoundedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return self.start_index() + len(self) - 1 if len(self) else 0


class BoundedPaginator(Paginator):
    """A ``Paginator`` whose count stops at ``count_limit`` (``count_is_exact`` says whether)."""

    def __init__(self, object_list, per_page, *, count_limit: int | None = None):
        super().__init__(object_list, per_page)
        self.count_limit = count_limit or COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        # No ORDER BY: any count_limit + 1 rows answer "more than count_limit".
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def count_is_exact(self) -> bool:
        return self.count <= self.count_limit

    @cached_property
    def num_pages(self) -> int | None:
        """The number of pages, or None when there are more than ``count_limit`` rows."""
        return super().num_pages if self.count_is_exact else None

    def validate_number(self, number) -> int:
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("Het paginanummer is geen getal.") from exc
        if number < 1:
            raise EmptyPage("Het paginanummer is kleiner dan 1.")
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if self.count_is_exact:
            page = super().page(number)
            return BoundedPage(
                page.object_list, number, self, has_next=number < (self.num_pages or 0)
            )
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("Die pagina bevat geen resultaten.")
        return BoundedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)

    def get_page(self, number) -> Page:
        """Like Django's: a missing or invalid number is page 1, a page past the end the last
        page when it is known, else page 1."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages or 1)
