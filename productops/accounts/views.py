from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("coming")


account_detail = create_token = revoke_token = _todo
