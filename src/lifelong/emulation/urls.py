"""The emulation app's pages under /emulation/, joined from one module per area."""

from lifelong.emulation.views import kpis, participation, setup, standings

app_name = "emulation"

urlpatterns = [
    *setup.urlpatterns,
    *standings.urlpatterns,
    *participation.urlpatterns,
    *kpis.urlpatterns,
]
