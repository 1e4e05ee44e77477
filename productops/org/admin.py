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
