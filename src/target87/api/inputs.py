"""What a client may send, said once for every endpoint of the API.

- :class:`In`: a request body. A field the schema does not know is refused, not dropped (``"room": 3`` where
  ``room_id`` is meant would otherwise create a session without a room and answer 201), and no text may hold a
  NUL character (PostgreSQL cannot store one; the web forms refuse it the same way).
- :class:`Patch`: a partial change. A field left out keeps its value; an explicit ``null`` is refused unless the
  field can really be empty (``NULLABLE``), so that ``{"title": null}`` is a clear 422, not a database error.
- :data:`Id`, :data:`Count`, :data:`Position`, :data:`Minutes`: integers bounded by what the database columns hold
  and what makes sense, so that a huge number is a 422 naming the field, never an overflow.
- :class:`Page`: every list comes a page at a time, ``?limit=`` (1–200, 50 by default) ``&offset=`` (0–1,000,000),
  answered as ``{"items": […], "count": n}``.
"""

from typing import Annotated, Any, ClassVar

from ninja import Field, Query, Schema  # noqa: F401 (Query: ninja resolves the paged view's annotations here)
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict, field_validator

#: the largest value of a 32-bit integer column (PostgreSQL ``integer``), the type of every id here
INT_MAX = 2_147_483_647
SMALLINT_MAX = 32_767

Id = Annotated[int, Field(ge=1, le=INT_MAX)]
Count = Annotated[int, Field(ge=1, le=1_000_000)]
Position = Annotated[int, Field(ge=0, le=SMALLINT_MAX)]
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]

PAGE_DEFAULT = 50
PAGE_MAX = 200
OFFSET_MAX = 1_000_000


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class In(Schema):
    """A request body: unknown fields refused, no NUL characters in text."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("Text may not contain the NUL character (\\u0000); remove it.")
        return value


class Patch(In):
    """A partial change: fields left out are kept; ``null`` only for the fields named in ``NULLABLE``."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("This field cannot be empty (null); leave it out to keep its value.")
        return value


class Page(LimitOffsetPagination):
    """The one way every list of the API is paged."""

    class Input(Schema):
        limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"Items per page, at most {PAGE_MAX}.")
        offset: int = Field(0, ge=0, le=OFFSET_MAX, description="Items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX, **kwargs)
