"""The learning app's pages under /learning/, joined from one module per area."""

from lifelong.learning.views import (
    assignments,
    catalogue,
    certificates,
    classes,
    ledger,
    plans,
    selfstudy,
)

app_name = "learning"

urlpatterns = [
    *ledger.urlpatterns,
    *catalogue.urlpatterns,
    *classes.urlpatterns,
    *selfstudy.urlpatterns,
    *certificates.urlpatterns,
    *assignments.urlpatterns,
    *plans.urlpatterns,
]
