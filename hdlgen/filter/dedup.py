"""Exact and near-duplicate removal, in input order, with state that survives a crash.

The first row of a cluster (in input order) is kept; later rows whose normalized code is identical, or whose
MinHash LSH (datasketch) proposes a kept row whose estimated Jaccard similarity is at or above the
threshold, are dropped with the id of that row. The LSH bands are tuned for recall (few missed pairs) and
every candidate is then confirmed on the signatures, so recall is high without trading precision. The index lives in memory;
every kept row's fingerprint is also appended to a log file, so
``--resume`` rebuilds exactly the same index by replaying the log up to the last checkpoint.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

_HEAD = struct.Struct("<q20sH")  # row index, sha1 of normalized code, signature byte length


class Deduper:
    def __init__(self, threshold: float = 0.9, num_perm: int = 128, near: bool = True) -> None:
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.near = near
        self.exact: dict[bytes, str] = {}
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.05, 0.95)) if near else None
        self.ids: dict[int, str] = {}
        self.sigs: dict[int, bytes] = {}
        self._log: BinaryIO | None = None

    def _minhash(self, sig: bytes):  # noqa: ANN202 - a datasketch LeanMinHash
        import numpy as np
        from datasketch import LeanMinHash

        return LeanMinHash(seed=1, scheme="affine32",
                           hashvalues=np.frombuffer(sig, dtype=np.uint32).astype(np.uint64))

    def check(self, index: int, row_id: str, exact_hex: str, sig: bytes | None) -> tuple[str | None, str | None]:
        """(reason, representative id): ("duplicate"|"near_duplicate", id) or (None, None) for a new row."""
        import numpy as np

        digest = bytes.fromhex(exact_hex)
        if digest in self.exact:
            return "duplicate", self.exact[digest]
        mh = None
        if self.near and sig is not None:
            mh = self._minhash(sig)
            mine = np.frombuffer(sig, dtype=np.uint32)
            for hit in sorted(self.lsh.query(mh)):  # type: ignore[union-attr]
                if float(np.mean(np.frombuffer(self.sigs[hit], dtype=np.uint32) == mine)) >= self.threshold:
                    return "near_duplicate", self.ids[hit]
        self._add(index, row_id, digest, sig, mh)
        if self._log is not None:
            rid = row_id.encode()
            self._log.write(_HEAD.pack(index, digest, len(sig or b"")) + (sig or b"")
                            + struct.pack("<H", len(rid)) + rid)
        return None, None

    def _add(self, index: int, row_id: str, digest: bytes, sig: bytes | None, mh: Any = None) -> None:
        self.exact[digest] = row_id
        if self.near and sig:
            self.ids[index] = row_id
            self.sigs[index] = sig
            self.lsh.insert(index, mh or self._minhash(sig), check_duplication=False)  # type: ignore[union-attr]

    # -- persistence --------------------------------------------------------------------------------
    def attach_log(self, path: Path, upto: int) -> None:
        """Replay ``path`` up to byte ``upto`` (the last checkpoint), cut it there, then append to it."""
        path.touch(exist_ok=True)
        with open(path, "r+b") as fh:
            fh.truncate(upto)
            pos = 0
            while pos < upto:
                index, digest, n = _HEAD.unpack(fh.read(_HEAD.size))
                sig = fh.read(n)
                (idlen,) = struct.unpack("<H", fh.read(2))
                row_id = fh.read(idlen).decode()
                self._add(index, row_id, digest, sig or None)
                pos = fh.tell()
        self._log = open(path, "ab")

    def flush(self) -> int:
        """Make the log durable; returns its length (recorded in the checkpoint)."""
        if self._log is None:
            return 0
        import os

        self._log.flush()
        os.fsync(self._log.fileno())
        return self._log.tell()

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
