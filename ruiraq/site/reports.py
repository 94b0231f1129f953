"""
"Report an error": a reader's form about one public record, on a page of its own
(/report/<kind>/<slug>/) that every record page links to.

Its own page, so the record pages stay in the public cache: this page sets the CSRF cookie
and says ``no-store``, so neither the public cache (ruiraq.cache) nor a browser or proxy
keeps it or serves a stale token; a POST is never cached. It works without JavaScript: a
plain form, posted, then a redirect to a thank-you page (so a reload sends nothing twice).

Against abuse, without an account: a honeypot field that people leave empty and form-filling
robots fill in (such a post is thanked and dropped), length limits, and a per-address limit
on posts counted in the shared cache as the API's throttle counts, by the same client
address (ruiraq.security.client_ip, so NUM_PROXIES holds here too). A flood gets a 429 page
with Retry-After. What a reader writes goes to the editors' queue in the admin
(articles.models.ErrorReport) and is never shown on the site.
"""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from rest_framework.throttling import SimpleRateThrottle

from articles.models import ErrorReport
from ruiraq.security import client_ip


class ReportThrottle(SimpleRateThrottle):
    """Posts of the report form per client address (settings.ERROR_REPORT_RATE)."""

    scope = "error-report"

    def get_rate(self):
        return settings.ERROR_REPORT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class ErrorReportForm(forms.ModelForm):
    #: The honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    class Meta:
        model = ErrorReport
        fields = ["message", "email"]
        labels = {
            "message": _("What is wrong?"),
            "email": _("Your email (optional)"),
        }
        help_texts = {
            "message": _(
                "Say what the page gets wrong and, if you can, where the right information "
                "is (a link or a reference). Between %(min)d and %(max)d characters."
            )
            % {"min": ErrorReport.MESSAGE_MIN, "max": ErrorReport.MESSAGE_MAX},
            "email": _("Only if you would like an answer. The editors never publish it."),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["message"].widget.attrs["minlength"] = ErrorReport.MESSAGE_MIN

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < ErrorReport.MESSAGE_MIN:
            raise forms.ValidationError(
                _("Please say a little more: at least %(min)d characters.")
                % {"min": ErrorReport.MESSAGE_MIN},
                code="too_short",
            )
        return message

    @property
    def is_robot(self):
        """The honeypot was filled in (after validation)."""
        return bool(self.cleaned_data.get("website"))


class _RecordMixin:
    """The public record named by the address (kind and slug), or a 404. One query."""

    def dispatch(self, request, *args, **kwargs):
        self.record = ErrorReport.public_record(kwargs["kind"], kwargs["slug"])
        if self.record is None:
            raise Http404("No such public record.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.record, editors_email=settings.EDITORS_EMAIL, **kwargs
        )


class ReportView(_RecordMixin, FormView):
    form_class = ErrorReportForm
    template_name = "ruiraq/report.html"
    throttled_template_name = "ruiraq/report_throttled.html"

    def post(self, request, *args, **kwargs):
        throttle = ReportThrottle()
        if not throttle.allow_request(request, self):
            response = self.response_class(
                request=request,
                template=[self.throttled_template_name],
                context=self.get_context_data(form=self.get_form_class()()),
                status=429,
            )
            wait = throttle.wait()
            if wait is not None:
                response["Retry-After"] = str(max(1, int(wait)))
            add_never_cache_headers(response)
            return response
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": ErrorReport(record=self.record)}

    def form_valid(self, form):
        if not form.is_robot:
            form.save()
        return redirect("report-thanks", kind=self.kwargs["kind"], slug=self.record.slug)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        return response


class ReportThanksView(_RecordMixin, TemplateView):
    template_name = "ruiraq/report_thanks.html"
