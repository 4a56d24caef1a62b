"""Templates read views (plain dicts) through ``render.view_getattr``: the same values as
Jinja's own ``getattr``, without raising an AttributeError for every key."""

from __future__ import annotations

import pytest
from jinja2 import Environment, StrictUndefined, Undefined

from auditor.render import environment, view_getattr


class _Row:
    status = "covered"


@pytest.mark.parametrize(("obj", "name"), [
    ({"status": "partial"}, "status"),
    ({"items": [1, 2]}, "items"),  # a dict method wins over the key, as in Jinja
    ({"get": 1}, "get"),
    ({}, "missing"),
    (_Row(), "status"),
    (_Row(), "missing"),
    ([1, 2], "append"),
    ("文本", "upper"),
])
def test_same_as_jinja(obj, name: str) -> None:
    env = Environment(undefined=StrictUndefined)
    ours, theirs = view_getattr(env, obj, name), Environment.getattr(env, obj, name)
    if isinstance(theirs, Undefined):
        assert type(ours) is type(theirs) and ours._undefined_name == theirs._undefined_name
    else:
        assert ours == theirs


def test_the_project_environment_uses_it() -> None:
    from jinja2 import UndefinedError

    env = environment()
    assert type(env).getattr is not Environment.getattr
    assert env.from_string("{{ r.status }}").render(r={"status": "已覆盖"}) == "已覆盖"
    with pytest.raises(UndefinedError):
        env.from_string("{{ r.missing }}").render(r={"status": "已覆盖"})
