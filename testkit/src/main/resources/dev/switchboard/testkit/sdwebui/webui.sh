#!/bin/sh
# A stand-in for SD-WebUI's webui.sh: runs the fake WebUI beside it with every argument.
exec python3 -u "$(dirname "$0")/fake_webui.py" "$@"
