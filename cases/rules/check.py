"""Checks an authority's timescale file before it is loaded: it parses, and builds into a policy
over the national defaults. Its own module, as it needs both the parser and the policy builder.

    python -m cases.rules.check config/authorities/*.toml
"""

import sys
from pathlib import Path

from .config import ConfigError, load_file
from .policy import build_policy


def main(paths: list[str]) -> int:
    """Check timescale files: `python -m cases.rules.check config/authorities/*.toml`."""
    configs = {}
    for path in paths:
        try:
            config = load_file(Path(path))
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 1
        configs[config.slug] = config
    england = configs.get("england") or load_file(Path(paths[0]).with_name("england.toml"))
    for slug, config in configs.items():
        try:
            policy = build_policy(england, None if slug == "england" else config)
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 1
        deadlines = [k for k in policy.all_keys() if policy.timescale(k).is_deadline]
        print(f"{slug}: {len(config.timescales)} own entries, {len(deadlines)} deadlines in force")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
