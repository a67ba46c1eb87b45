from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from evaluations.demo.load import load_demo


class Command(BaseCommand):
    help = "创建示例数据（种子报告中的财政局、预算部门、自评任务与每个角色一个用户），可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        # The dashboards list the evaluations' summaries: compute them for the demo's figures.
        call_command("summarize_evaluations", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("示例数据已就绪。演示账号："))
        for login in logins:
            password = login.password or "（账号已存在，密码保持不变）"
            self.stdout.write(
                f"  {login.username:<28} {login.role.label:<8} {login.where:<10} 密码：{password}"
            )
