# TEMPORARY: replaced by the directory pages work.
from django.http import HttpResponse


def fund_list(request):
    return HttpResponse("todo")


def search(request):
    return HttpResponse("todo")


def fund_detail(request, department_code):
    return HttpResponse("todo")
