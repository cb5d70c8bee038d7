"""Run a local provider server: `python -m tests.provider_servers deepgram|assemblyai --key K [--port N]`.

Prints `listening on <port>` once the model is loaded and it accepts requests."""

import argparse
import faulthandler
import signal

from tests.provider_servers.assemblyai import AssemblyAIHandler
from tests.provider_servers.base import ProviderServer
from tests.provider_servers.deepgram import DeepgramHandler
from tests.provider_servers.speech import Model

HANDLERS = {"deepgram": DeepgramHandler, "assemblyai": AssemblyAIHandler}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("provider", choices=sorted(HANDLERS))
    parser.add_argument("--key", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    faulthandler.register(signal.SIGUSR1)  # a stack dump of every thread, for a stuck test
    server = ProviderServer(("127.0.0.1", args.port), HANDLERS[args.provider], api_key=args.key, model=Model())
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
