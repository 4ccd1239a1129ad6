"""Typed errors a user can cause. Each message says what to do about it."""

from __future__ import annotations


class AudioRouterError(Exception):
    """Base class of every error AudioRouter raises on purpose."""


class AudioInputError(AudioRouterError, ValueError):
    """The audio given cannot be used."""


class AudioNotFoundError(AudioInputError, FileNotFoundError):
    """A path was given but no file is there."""


class AudioDecodeError(AudioInputError):
    """The bytes are not decodable audio (corrupt, truncated, or not audio at all)."""


class TruncatedAudioError(AudioDecodeError):
    """The file's header declares more audio than the file holds (a cut-short copy)."""


class UnsupportedAudioFormatError(AudioInputError):
    """The input is of a type or container AudioRouter does not read."""


class EmptyAudioError(AudioInputError):
    """The audio decodes to zero samples."""


class NonFiniteAudioError(AudioInputError):
    """The samples contain NaN or infinity."""


class AudioTooLongError(AudioInputError):
    """The audio is longer than the configured maximum duration."""


class UnknownClipError(AudioInputError, KeyError):
    """A clip reference names no clip this process (or its clip cache) knows."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ModelNotFoundError(AudioRouterError, FileNotFoundError):
    """No source could provide a model's weights; the message lists every source tried."""


class ModelChecksumError(AudioRouterError):
    """A model file was found but its sha256 does not match the pinned one."""


class UnknownToolError(AudioRouterError, KeyError):
    """A tool name that is not in the registry."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ToolArgumentError(AudioRouterError, ValueError):
    """Arguments that do not validate against a tool's schema."""
