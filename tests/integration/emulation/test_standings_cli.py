"""`lifelong emulation recompute --json`: one JSON document, no progress bar."""

import json

import pytest
from django.core.management import call_command

from lifelong.emulation.models import Standing
from tests.factories.emulation import campaign
from tests.factories.learning_ledger import learn
from tests.factories.org import person

pytestmark = pytest.mark.django_db(transaction=True)


def test_recompute_as_json_prints_what_was_done_and_no_bar(org, capsys):
    # given: a campaign with one officer's learning and no score yet
    built = campaign(org)
    learn(person(org.team_1), 10, year=2025)
    Standing.objects.all().delete()
    # when
    call_command("emulation", "recompute", "--campaign", str(built.campaign.pk), "--json")
    # then
    out, err = capsys.readouterr()
    done = json.loads(out)
    assert (done["campaigns"], done["phases"]) == (1, 2)
    assert done["standings"] == Standing.objects.count() > 0
    assert "#" not in err
