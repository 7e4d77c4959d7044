"""Write a minimal but genuine Word 97–2003 binary document (.doc) for the tests.

There is no .doc writer on this machine (no LibreOffice, and no Python package writes the format), so
this module writes one from the published specifications: an OLE compound file ([MS-CFB], version 3,
512-byte sectors) holding a `WordDocument` stream that starts with a Word 97 File Information Block
([MS-DOC] FIB, nFib 0x00C1) and a `1Table` stream with the piece table (Clx → PlcPcd) that maps the
text's character positions to UTF-16LE text in the WordDocument stream. That is all `antiword` and
`catdoc` need to read the text; there are no styles or formatting.

`encrypted=True` sets the FIB's fEncrypted flag as Word does for a password-protected document (the
text is then not really encrypted, but every reader must refuse the file by the flag).
"""

import struct

SECTOR = 512
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
# Streams of at least this size live in ordinary sectors, so no mini stream is needed.
MINI_CUTOFF = 4096
TEXT_OFFSET = 0x800

F_WHICH_TBL_STM = 0x0200
F_EXT_CHAR = 0x1000
F_ENCRYPTED = 0x0100


def word97_document(text: str, *, encrypted: bool = False) -> bytes:
    """A .doc whose main text is `text` (one paragraph per line)."""
    body = "\r".join(text.splitlines()) + "\r"
    encoded = body.encode("utf-16-le")
    characters = len(encoded) // 2
    word_document = bytearray(
        _fib(characters, clx_size=_clx_size(), encrypted=encrypted, text_bytes=len(encoded))
    )
    word_document += bytes(TEXT_OFFSET - len(word_document))
    word_document += encoded
    table = _clx(characters) + STYLESHEET
    return _compound_file({"WordDocument": bytes(word_document), "1Table": table})


def _fib(characters: int, *, clx_size: int, encrypted: bool, text_bytes: int) -> bytes:
    flags = F_WHICH_TBL_STM | F_EXT_CHAR | (F_ENCRYPTED if encrypted else 0)
    # FibBase (32 bytes): wIdent, nFib, unused, lid (zh-CN), pnNext, flags, nFibBack, lKey, envr, …;
    # the last two words are reserved in Word 97 but Word still writes fcMin/fcMac (text start and
    # end) there, which catdoc reads.
    fc_min, fc_mac = TEXT_OFFSET, TEXT_OFFSET + text_bytes
    base = struct.pack(
        "<HHHHHHHIBBHHII", 0xA5EC, 0x00C1, 0, 0x0804, 0, flags, 0x00BF, 0, 0, 0, 0, 0, fc_min, fc_mac
    )
    rg_w = struct.pack("<H", 14) + bytes(28)
    rg_lw = [0] * 22
    rg_lw[0] = TEXT_OFFSET + characters * 2  # cbMac
    rg_lw[3] = characters  # ccpText
    lw = struct.pack("<H", 22) + struct.pack("<22i", *rg_lw)
    fc_lcb = [0] * (93 * 2)
    fc_lcb[33 * 2] = 0  # fcClx: the Clx starts the table stream
    fc_lcb[33 * 2 + 1] = clx_size  # lcbClx
    # fcStshf/lcbStshf: an empty style sheet after the Clx (antiword reads past a missing one).
    fc_lcb[1 * 2] = clx_size
    fc_lcb[1 * 2 + 1] = len(STYLESHEET)
    rg_fc_lcb = struct.pack("<H", 93) + struct.pack(f"<{93 * 2}I", *fc_lcb)
    return base + rg_w + lw + rg_fc_lcb + struct.pack("<H", 0)


# STSH: cbStshi, then an Stshi with cstd 0 and cbSTDBaseInFile 10, nothing else.
STYLESHEET = struct.pack("<HHH", 18, 0, 10) + bytes(14)


def _clx_size() -> int:
    return 1 + 4 + 2 * 4 + 8


def _clx(characters: int) -> bytes:
    # One piece: CPs 0..characters, its Pcd pointing at uncompressed (UTF-16LE) text at TEXT_OFFSET.
    plc_pcd = struct.pack("<II", 0, characters) + struct.pack("<HIH", 0, TEXT_OFFSET, 0)
    return b"\x02" + struct.pack("<I", len(plc_pcd)) + plc_pcd


def _compound_file(streams: dict[str, bytes]) -> bytes:
    padded = {name: data + bytes(max(0, MINI_CUTOFF - len(data))) for name, data in streams.items()}
    stream_sectors = {name: -(-len(data) // SECTOR) for name, data in padded.items()}
    data_sectors = 1 + sum(stream_sectors.values())  # directory + streams
    fat_sectors = 1
    while (fat_sectors + data_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("document too large for this writer")
    fat = [FATSECT] * fat_sectors
    directory_sector = len(fat)
    fat.append(ENDOFCHAIN)
    starts = {}
    for name, count in stream_sectors.items():
        starts[name] = len(fat)
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(ENDOFCHAIN)
    fat.extend([FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat)))

    difat = list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII", 0, fat_sectors, directory_sector, 0, MINI_CUTOFF, ENDOFCHAIN, 0, ENDOFCHAIN, 0
        )
        + struct.pack("<109I", *difat)
    )
    names = list(streams)
    # Directory: root (child = first stream), streams chained as right siblings. Names compare by
    # length then upper case, so "1Table" < "WordDocument": the tree is WordDocument with 1Table left.
    ordered = sorted(names, key=lambda n: (len(n), n.upper()))
    entries = [_dir_entry("Root Entry", 5, child=2, start=ENDOFCHAIN, size=0)]
    # Entry 1 = ordered[0] (left leaf), entry 2 = ordered[1] (root of the tree, left = 1).
    entries.append(_dir_entry(ordered[0], 2, start=starts[ordered[0]], size=len(padded[ordered[0]])))
    entries.append(_dir_entry(ordered[1], 2, left=1, start=starts[ordered[1]], size=len(padded[ordered[1]])))
    entries.append(bytes(128))
    directory = b"".join(entries)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    body = (
        fat_bytes + directory + b"".join(padded[name] + bytes(-len(padded[name]) % SECTOR) for name in names)
    )
    return header + bytes(SECTOR - len(header)) + body


def _dir_entry(
    name: str,
    kind: int,
    *,
    left: int = NOSTREAM,
    right: int = NOSTREAM,
    child: int = NOSTREAM,
    start: int,
    size: int,
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", left, right, child)
        + bytes(16)
        + struct.pack("<I", 0)
        + bytes(16)
        + struct.pack("<IQ", start, size)
    )
