"""Static files as whitenoise serves them (hashed names, gzip and Brotli copies), compressed in a time
that fits a deploy or `kexie demo`.

whitenoise compresses every collected file with Brotli at its highest quality (11), which for the API
documentation's bundles (Swagger UI, ReDoc: 2.4 MB) and their source maps (5.4 MB) took ~13 s of CPU
alone — 27 s of `kexie demo` on a busy machine. Here source maps are not compressed (only a browser's
developer tools fetch them) and files over 256 KiB get Brotli quality 9: ~20× faster for a file
about 9% larger, still 9–13% smaller than gzip -9. Everything kexie's pages load is smaller and keeps
quality 11.
"""

from __future__ import annotations

from whitenoise.compress import Compressor as WhitenoiseCompressor
from whitenoise.storage import CompressedManifestStaticFilesStorage as WhitenoiseStorage

LARGE_FILE = 256 * 1024


class Compressor(WhitenoiseCompressor):
    SKIP_COMPRESS_EXTENSIONS = (*WhitenoiseCompressor.SKIP_COMPRESS_EXTENSIONS, "map")

    def compress_brotli(self, data: bytes) -> bytes:
        import brotli

        return brotli.compress(data, quality=11 if len(data) <= LARGE_FILE else 9)


class CompressedManifestStaticFilesStorage(WhitenoiseStorage):
    def create_compressor(self, **kwargs):
        return Compressor(**kwargs)
