"""A minimal IMAP4rev1 wire client for the benchmark's raw ceilings (RFC 3501): a TCP or TLS
socket, a reader that hands out response lines and skips literals without copying them, LOGIN
and LIST. Nothing here parses more than the ceilings need."""
import re
import socket
import ssl

LITERAL = re.compile(rb"\{(\d+)\}$")
LIST_LINE = re.compile(rb'^\* LIST \(([^)]*)\) (?:"[^"]*"|NIL) (.+)$')


class IMAPError(Exception):
    pass


def connect(host, port, cafile=None):
    """A connected socket; TLS from the first byte (IMAPS) when `cafile` is given."""
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if cafile:
        context = ssl.create_default_context(cafile=cafile)
        sock = context.wrap_socket(sock, server_hostname=host)
    return sock


class Reader:
    """Response lines off a socket; literals are counted and thrown away (RFC 3501 §4.3)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.scratch = bytearray(1 << 20)

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise IMAPError("connection closed by the server")
        self.buf += data

    def line(self):
        """The next line without CRLF (a line ending in {N} is followed by an N-byte literal)."""
        start = 0
        while True:
            end = self.buf.find(b"\r\n", start)
            if end >= 0:
                line = bytes(self.buf[:end])
                del self.buf[:end + 2]
                return line
            start = max(0, len(self.buf) - 1)
            self._fill()

    def skip(self, count):
        """Reads and discards `count` bytes."""
        held = len(self.buf)
        if held >= count:
            del self.buf[:count]
            return
        self.buf.clear()
        count -= held
        view = memoryview(self.scratch)
        while count > 0:
            got = self.sock.recv_into(view, min(count, len(self.scratch)))
            if got == 0:
                raise IMAPError("connection closed inside a literal")
            count -= got

    def literal(self, line):
        """Skips the literal announced at the end of `line`, if any; returns its size."""
        match = LITERAL.search(line)
        if not match:
            return 0
        size = int(match.group(1))
        self.skip(size)
        return size

    def until_tagged(self, tag, on_line=None):
        """Reads responses up to the tagged one for `tag`; returns that line."""
        prefix = tag + b" "
        while True:
            line = self.line()
            while True:
                if on_line:
                    on_line(line)
                if not self.literal(line):
                    break
                line = self.line()  # the rest of the response after the literal
            if line.startswith(prefix):
                return line


def quote(text):
    return b'"' + text.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def login(sock, reader, user, password):
    greeting = reader.line()
    if not greeting.startswith(b"* OK"):
        raise IMAPError(f"unexpected greeting {greeting!r}")
    sock.sendall(b"L1 LOGIN " + quote(user.encode()) + b" " + quote(password.encode()) + b"\r\n")
    answer = reader.until_tagged(b"L1")
    if not answer.startswith(b"L1 OK"):
        raise IMAPError(f"LOGIN failed: {answer!r}")


def list_folders(sock, reader):
    """Names of the selectable folders, as the server spells them (quoted form kept)."""
    names = []

    def collect(line):
        match = LIST_LINE.match(line)
        if match and b"\\noselect" not in match.group(1).lower() and b"\\nonexistent" not in match.group(1).lower():
            names.append(match.group(2))

    sock.sendall(b'L2 LIST "" "*"\r\n')
    reader.until_tagged(b"L2", collect)
    return names


def logout(sock, reader):
    sock.sendall(b"L9 LOGOUT\r\n")
    try:
        reader.until_tagged(b"L9")
    except IMAPError:
        pass
    sock.close()
