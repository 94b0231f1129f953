"""
Changes to published records are reviewed too.

An editor's edit of a published record (its fields and its inline rows: participants,
parties, aliases, citations, related events) is not saved to the record: the admin keeps the
change form as it was posted, in a ``PendingRevision``, with the field-by-field diff the
editor made. The published row, what the public pages, the API, search and the public cache
read, stays as it was until a reviewer approves the revision.

Approving replays the kept form through the record's own admin form and formsets, as the
reviewer, against the record as it is then: every rule the form checks (who may set a
status, the publishing rule on the citations, no lost updates) is checked again, and a record
changed since the revision was proposed is a conflict (its version, or an inline row's, no
longer matches the one the editor's page was opened with). The save itself is the admin's
ordinary save, in one transaction: history (with the editor and the reviewer named in its
reason), the version, the search documents and the public cache follow as for any edit.

One pending revision per record (a database constraint): a second edit while one waits is
refused with a form error naming the waiting one; its author may withdraw it and propose
again. Reviewers' own edits, and edits of records that are not published (drafts, records in
review), are saved directly.

``models`` holds the revision and its queue (``PendingRevision.objects.awaiting_review()``);
``diff`` reads a validated form and its formsets into the change list; ``admin`` is the mixin
every curated record's admin carries and the reviewers' queue.
"""
