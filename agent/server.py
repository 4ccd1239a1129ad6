"""The LangGraph server's front door (``langgraph.json`` names ``app`` as its HTTP app).

Three checks run on every request that starts a run, before the run exists:

* its body is at most ``AUDIOROUTER_SERVER_MAX_BODY_MB`` (default 160) and says how long it is
  (413 otherwise), so no request holds the server's memory hostage;
* the input is a question the graph can answer (`inputs.check_question`): a bad one gets
  **422** with the message that says what to pass, instead of a run that fails later;
* audio named by a path is a file *on the server*: a client may name one only inside
  ``AUDIOROUTER_SERVER_AUDIO_DIR`` when the operator set it (403 otherwise, and for a path that
  leaves it); clients send audio as base64 or a data URI. A clip reference must be a hash.

Everything else passes through unchanged to LangGraph's own routes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from audiorouter.tools.audio import CLIP_REF_PREFIX, is_clip_ref
from audiorouter.tools.settings import Settings

from .inputs import QuestionError, check_question

AUDIO_DIR_ENV = "AUDIOROUTER_SERVER_AUDIO_DIR"
MAX_BODY_ENV = "AUDIOROUTER_SERVER_MAX_BODY_MB"
# The longest audio the graph takes (600 s) as 16-bit stereo 44.1 kHz WAV is 141 MB in base64.
DEFAULT_MAX_BODY_MB = 160
RUN_PATHS = re.compile(r"^(/threads/[^/]+)?/runs(/wait|/stream)?/?$")
_INLINE = re.compile(r"^(data:|[A-Za-z0-9+/=_-]{257,})")  # a data URI or a long base64 string


class AudioAccessError(QuestionError):
    """The request names a file the server may not read."""


def check_server_audio(audio: Any, allowed: str | os.PathLike | None) -> None:
    """Refuse a path outside ``allowed`` (every path when it is None). Inline audio and clip
    references pass; their content is checked when the run decodes them."""
    if isinstance(audio, str) and audio.startswith(CLIP_REF_PREFIX):
        if not is_clip_ref(audio):
            raise AudioAccessError(f"{audio[:80]!r} is not a clip reference (clip:<hex digest>)")
        return
    if not isinstance(audio, str) or _INLINE.match(audio):
        return
    if allowed is None:
        raise AudioAccessError(
            "this server does not read files on its host: send the audio as base64 or a data URI "
            f"(or start it with {AUDIO_DIR_ENV}=<folder> to allow paths inside that folder)")
    root = Path(allowed).resolve()
    path = Path(audio).expanduser().resolve()  # as the graph will read it; symlinks followed
    if not path.is_relative_to(root):
        raise AudioAccessError(f"{audio!r} is outside the folder this server reads audio from: "
                               "give a path inside it, or send the audio itself")
    if not path.is_file():
        raise AudioAccessError(f"no audio file {audio!r} in the server's audio folder")


class CheckRunInput(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next) -> Response:
        if request.method == "POST" and RUN_PATHS.match(request.url.path):
            cap = float(Settings.from_env().server_max_body_mb or DEFAULT_MAX_BODY_MB)
            size = request.headers.get("content-length")
            if size is None or not size.isdigit() or int(size) > cap * 2**20:
                return JSONResponse({"error": "RequestTooLarge", "message": (
                    f"a run request may carry at most {cap:g} MB (it declared {size} bytes): "
                    f"send compressed audio (mp3, ogg, flac) or raise {MAX_BODY_ENV}")}, 413)
            try:
                data = json.loads(await request.body() or b"{}").get("input")
            except (ValueError, AttributeError):
                data = None  # not JSON: LangGraph's own validation answers it
            if isinstance(data, dict):
                try:
                    check_question(data)
                    check_server_audio(data.get("audio"), Settings.from_env().server_audio_dir or None)
                except AudioAccessError as exc:
                    return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, 403)
                except QuestionError as exc:
                    return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, 422)
        return await call_next(request)


app = Starlette()
app.add_middleware(CheckRunInput)
