"""Rendering any page: `vault.web.render.page` (language, site time) with the site's name,
which every page's header shows."""

from __future__ import annotations

from vault.config import Config
from vault.web.render import page


def render_page(config: Config, name: str, **values: object) -> str:
    values.setdefault("site", config.site_name)
    return page(name, **values)
