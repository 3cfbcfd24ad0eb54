"""The evaluation policy in force by default: Decree 13/2012's conditions scored on 100 points."""

import datetime

from django.db import migrations


def add_default_policy(apps, schema_editor):  # type: ignore[no-untyped-def]
    EvaluationPolicy = apps.get_model("initiatives", "EvaluationPolicy")
    EvaluationPolicy.objects.get_or_create(
        effective_from=datetime.date(2012, 3, 2),
        defaults={
            "novelty_max": 30,
            "application_max": 30,
            "benefit_max": 40,
            "pass_score": 50,
            "quorum_pct": 50,
            "vote_threshold_pct": 50,
            "source": (
                "NĐ 13/2012/NĐ-CP Art. 3 (conditions); points and thresholds: agency practice "
                "[P], to confirm with the client"
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(add_default_policy, migrations.RunPython.noop)]
