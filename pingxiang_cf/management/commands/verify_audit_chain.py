"""`manage.py verify_audit_chain`: walk the audit log's hash chain and fail
(exit status 1) if any row was changed, removed or inserted."""

from django.core.management.base import BaseCommand, CommandError

from pingxiang_cf import auditchain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (detects changed, removed or inserted rows)."

    def handle(self, *args, **options):
        report = auditchain.verify()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"audit chain broken: {len(report.problems)} problem(s) in {report.checked} rows"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} rows"))
