"""(being written)"""

from django.urls import URLPattern

department_urls: list[URLPattern] = []
jurisdiction_urls: list[URLPattern] = []
