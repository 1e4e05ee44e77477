"""The admin site's view of the org: people and teams.

Registered: `Person` (with its manager and the login it is linked to) and `Team`, whose
`TeamMembership` rows are edited inline on the team. The org holds nothing private: a
person's name, title, discipline, manager and teams are what every member and manager
sees of their colleagues (`org.visibility`), and the staff users of the admin site are
admins, who see everyone in the app too. Never registered: `TeamMembership` on its own
(a membership only makes sense on its team's page), and nothing of the other apps'
private records (assessments, coaching plans, 1:1 notes) comes through the org.

The models' own checks still apply here (`Person.clean`, `Team.clean`: no one is their
own manager, no reporting or group cycle). Bulk changes go through the people import
(`org.actions.import_people_file`), which checks the file as a whole.
"""

from __future__ import annotations

from django.contrib import admin

from productops.org.models import Person, Team, TeamMembership


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "discipline", "title", "manager", "active"]
    list_filter = ["discipline", "active"]
    search_fields = ["name", "email", "title"]
    autocomplete_fields = ["manager"]
    list_select_related = ["manager"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "product_area", "parent"]
    search_fields = ["name"]
    inlines = [MembershipInline]
