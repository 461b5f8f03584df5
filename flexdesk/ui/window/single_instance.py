"""One flexdesk per data folder.

Two instances on one drafts database sent the same queued saves twice (97 PUTs for 10 saves)
and lost one of two edits of a customer. The first instance holds a lock file in the data
folder and listens on a local socket; a second start asks it to bring its window forward and
exits. A lock left by a process that died is taken over (QLockFile checks the process).
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_FILE = "flexdesk.lock"
_RAISE = b"raise\n"
_WAIT_MS = 1000


def _socket_name(data_dir: Path) -> str:
    # Per user and folder: the name is global on the machine (a file in /tmp on Unix).
    folder = str(data_dir.resolve()).encode()
    return "flexdesk-" + hashlib.sha256(getpass.getuser().encode() + b"\0" + folder
                                        ).hexdigest()[:24]


class SingleInstance(QObject):
    raise_requested = Signal()  # another start wants this instance's window in front

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = _socket_name(data_dir)
        self._lock = QLockFile(str(data_dir / LOCK_FILE))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Take the data folder; False if another instance holds it."""
        return bool(self._lock.tryLock(0))

    def listen(self) -> None:
        """Answer later starts (once the QApplication exists)."""
        QLocalServer.removeServer(self._name)  # a socket left by a crash
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(self._name):
            log.info("cannot listen for later starts: %s", self._server.errorString())
        self._server.newConnection.connect(self._answer)

    def ask_running_to_come_forward(self) -> bool:
        """From a second start: True if the running instance heard the request."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(_WAIT_MS):
            return False
        socket.write(_RAISE)
        heard = socket.waitForBytesWritten(_WAIT_MS)
        socket.disconnectFromServer()
        return heard

    def holder(self) -> int | None:
        """The process ID holding the lock, when another one does."""
        info = self._lock.getLockInfo()  # (pid, host, application), when there is a lock
        return int(info[0]) if info else None

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _answer(self) -> None:
        assert self._server is not None
        connection = self._server.nextPendingConnection()
        if connection is None:
            return
        connection.readyRead.connect(lambda: self._read(connection))
        connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        if bytes(connection.readAll().data()).startswith(_RAISE.strip()):
            log.info("another start asked for this window")
            self.raise_requested.emit()
