"""Bring the public register up to date now (also done each night and after every public event)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refresh the public register of one municipality (--municipality <slug>) or of every one."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="SLUG", help="only this municipality")

    def handle(self, *args, **options):
        from insight.services import register_refresh, register_refresh_all
        from organizations.models import Municipality

        slug = options.get("municipality")
        if slug:
            municipality = Municipality.objects.filter(slug=slug).first()
            if municipality is None:
                raise CommandError(f"No municipality with the slug {slug!r}.")
            result = {"municipalities": 1, **register_refresh(municipality=municipality)}
        else:
            result = register_refresh_all()
        self.stdout.write(
            f"municipalities: {result['municipalities']}, entries added: {result['added']}, "
            f"changed: {result['changed']}, removed: {result['removed']}"
        )
