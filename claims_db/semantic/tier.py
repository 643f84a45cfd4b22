"""Whether this process runs the semantic tier, with which encoder, and why not.

``CLAIMBOT_SEMANTIC=0`` (or ``off``, ``false``, ``no``) turns the tier off: matching on words alone,
as before the tier existed (for operators, and for tests whose expectations are lexical). Otherwise
the encoder of :func:`claims_db.semantic.load_encoder` is loaded once per process and shared by
every service (loading it checks a 23 MB sha256 and builds an onnxruntime session: a third of a
second); when it cannot load, the reason is kept for ``claimbot doctor`` and logged once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from claims_db.semantic.encoder import ENV_MODEL, EncoderUnavailable, ModelInfo, load_encoder
from claims_db.semantic.index import Encoder

__all__ = ["ENV_SEMANTIC", "ModelEncoder", "Tier", "resolve_tier", "switched_off"]

log = logging.getLogger(__name__)

ENV_SEMANTIC = "CLAIMBOT_SEMANTIC"
_OFF = {"0", "off", "false", "no"}

_lock = threading.Lock()
_loaded: dict[str, ModelEncoder] = {}  # CLAIMBOT_EMBED_MODEL value -> its encoder
_logged: set[str] = set()


class ModelEncoder(Encoder, Protocol):
    """An encoder that says which model it runs (what stored vectors are checked against)."""

    @property
    def info(self) -> ModelInfo: ...


@dataclass(frozen=True)
class Tier:
    """The semantic tier of one service: its encoder, or why there is none.

    ``switched_off`` tells an operator's choice (``CLAIMBOT_SEMANTIC=0``, not a fault) from a
    tier that should run and cannot (``reason`` says why and what to do).
    """

    encoder: ModelEncoder | None
    reason: str | None = None
    switched_off: bool = False

    @property
    def active(self) -> bool:
        return self.encoder is not None


def switched_off(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``CLAIMBOT_SEMANTIC`` turns the tier off."""
    env = os.environ if environ is None else environ
    return env.get(ENV_SEMANTIC, "").strip().lower() in _OFF


def resolve_tier(*, enabled: bool | None = None, encoder: ModelEncoder | None = None) -> Tier:
    """The tier to use: ``encoder`` if given; off when ``enabled`` is False (or, with None,
    when ``CLAIMBOT_SEMANTIC`` says so); else the shared encoder, or off with the reason."""
    if encoder is not None:
        return Tier(encoder)
    if enabled is False or (enabled is None and switched_off()):
        return Tier(None, f"turned off ({ENV_SEMANTIC}=0)", switched_off=True)
    key = os.environ.get(ENV_MODEL, "").strip()
    with _lock:
        if key not in _loaded:
            try:
                _loaded[key] = load_encoder()
            except EncoderUnavailable as exc:
                reason = str(exc)
                if reason not in _logged:
                    _logged.add(reason)
                    log.warning("semantic tier off, matching on words alone: %s", reason)
                return Tier(None, reason)
        return Tier(_loaded[key])
