"""The xAPI 1.0.3 resources under /xapi/ (Communication 2; no trailing slashes)."""

from django.urls import path

from lifelong.lrs.resources.about import about
from lifelong.lrs.resources.activities import activities
from lifelong.lrs.resources.activity_profile import activity_profile
from lifelong.lrs.resources.agent_profile import agent_profile
from lifelong.lrs.resources.agents import agents
from lifelong.lrs.resources.state import state
from lifelong.lrs.resources.statements import statements

app_name = "xapi"

urlpatterns = [
    path("statements", statements, name="statements"),
    path("about", about, name="about"),
    path("activities", activities, name="activities"),
    path("activities/state", state, name="state"),
    path("activities/profile", activity_profile, name="activity_profile"),
    path("agents", agents, name="agents"),
    path("agents/profile", agent_profile, name="agent_profile"),
]
