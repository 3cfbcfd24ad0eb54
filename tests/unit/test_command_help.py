"""Every `lifelong` command prints its --help (a lazy translated help once crashed argparse)."""

import pytest
from django.core.management import get_commands, load_command_class

OURS = sorted(name for name, app in get_commands().items() if app.startswith("lifelong"))


@pytest.mark.parametrize("name", OURS)
def test_the_command_prints_its_help(name):
    command = load_command_class(get_commands()[name], name)
    text = command.create_parser("lifelong", name).format_help()
    assert name in text


def test_the_project_commands_are_all_checked():
    assert {"demo", "serve", "worker", "learning", "lrs", "api"} <= set(OURS)
