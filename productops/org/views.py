from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("coming")


org_chart = people_list = person_detail = import_people = team_list = team_detail = audit = _todo
