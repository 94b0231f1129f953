"""
Strings of the packages the admin is built with that their own Russian or Arabic catalogues
leave untranslated (django-import-export 4.4, django-simple-history 3.13, django-filter 26.2,
django-axes 8.3), so that the Russian and Arabic admin have no English left in them.

They are listed here, marked with gettext_noop, only so that ``makemessages`` puts them into
ruiraq's own catalogues (locale/), which Django consults before any app's: the translation
there is the one the package's page then shows. Nothing imports this module. The packages'
messages for developers (misconfigured resources, internal errors) are left out.

When a package is upgraded, tests/test_translations.py still checks every entry here has
its Russian and Arabic translation; a string a new version renames is simply left in English
until it is added.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

IMPORT_EXPORT = [
    gettext_noop("%s through import_export"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the "
        "correct format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop("Value could not be parsed."),
    gettext_noop("Resource"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("This exporter will export the following fields: "),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", "len"),
    gettext_noop("Select all"),
]

SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Changes"),
]

DJANGO_FILTER = [
    gettext_noop("Select a lookup."),
    gettext_noop("is null"),
]

AXES = [
    gettext_noop("Locked Out"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Cleaned up {count} expired access attempts."),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Session key hash (sha256)"),
]
