class ChineseUnlessChosenMiddleware:
    """Serve the default language (zh-hans) unless the visitor picked another one in the switcher.

    The browser's Accept-Language is ignored on purpose: the wall is a Chinese campus service and
    a phone set to English should not quietly get a different site than the one its owner's
    classmates see; the footer's language switcher (a cookie) is the way to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
