from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from evaluations.demo.load import load_demo


class Command(BaseCommand):
    help = (
        "创建示例数据（种子报告中的财政局、预算部门、自评任务与每个角色一个用户），并公开"
        "湛江市商务局 2017 年度自评（走完整审核流程），可重复执行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Tests load the demo often; rendering the publication costs tens of seconds.
        parser.add_argument(
            "--without-publication",
            dest="publish",
            action="store_false",
            help="不公开湛江市商务局 2017 年度自评（测试用）。",
        )

    def handle(self, *args: Any, publish: bool = True, **options: Any) -> None:
        logins = load_demo()
        # The dashboards list the evaluations' summaries: compute them for the demo's figures.
        call_command("summarize_evaluations", stdout=self.stdout)
        if publish:
            self._publish()
        self.stdout.write(self.style.SUCCESS("示例数据已就绪。演示账号："))
        for login in logins:
            password = login.password or "（账号已存在，密码保持不变）"
            self.stdout.write(
                f"  {login.username:<28} {login.role.label:<8} {login.where:<10} 密码：{password}"
            )

    def _publish(self) -> None:
        """湛江市商务局 2017 through the real workflow and publishing pipeline (once)."""
        from evaluations.demo.publication import demo_published, publish_demo

        if demo_published():
            return
        if not settings.BROKER_CONFIGURED:
            self.stdout.write("正在生成示例公开材料（湛江市商务局 2017 年度），约需半分钟……")
        publication = publish_demo()
        if publication is None:
            return
        publication.refresh_from_db()
        if publication.state == publication.State.PENDING:
            self.stdout.write(f"示例公开 {publication.display_code} 已交给 Celery worker 生成。")
        elif publication.state == publication.State.FAILED:
            self.stderr.write(f"示例公开生成失败：{publication.error}")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已公开示例：{publication.title}（验证码 {publication.display_code}）"
                )
            )
