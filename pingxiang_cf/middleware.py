"""Request middleware shared by every page."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an
    English-configured browser on a government intranet would get an English
    UI. Here only an explicit choice counts: the language cookie set by the
    language switch (/i18n/setlang/); otherwise LANGUAGE_CODE (zh-hans)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
