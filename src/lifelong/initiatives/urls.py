"""The initiatives app's pages under /initiatives/, joined from one module per area."""

from lifelong.initiatives.views import evaluation, library, submission

app_name = "initiatives"

urlpatterns = [
    *submission.urlpatterns,
    *evaluation.urlpatterns,
    *library.urlpatterns,
]
