"""What every command line shares: who it acts as."""
from __future__ import annotations

import getpass
import os

from monitor.permissions import Actor, command_line_actor


def actor() -> Actor:
    """An administrator named after this machine's login (`command line (alice)`)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        login = f"uid {os.getuid()}"
    return command_line_actor(login)
