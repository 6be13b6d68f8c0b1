"""Words in Chinese still to be written (merged into vault.web.i18n)."""

ZH: dict[str, str] = {}
