"""Vendor API dialects: other meeting-bot vendors' APIs served in their own shapes, so that an
integrator's existing client works against Notula with only its base URL and key changed.

One folder per vendor (`sasha/`, `aitronos/`), each with the same parts: `ids.py` (the vendor's ids
to Notula's and back, stably), `status.py` (its status vocabulary), `inputs.py` / `outputs.py` (its
request and answer shapes), `errors.py` (its error body), `views.py` + `urls.py`, and where the vendor
sends callbacks, `renderer.py` (a webhook format). Every view is a thin translation onto the same
services and selectors as the native API: a dialect writes no model and holds no rule.

A new vendor is a new folder and one line in `registry.DIALECTS`; its prefix is a setting
(`NOTULA_COMPAT_PREFIX_<VENDOR>`, `settings.COMPAT_PREFIXES`).
"""
