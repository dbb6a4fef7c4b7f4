from django.views.generic import ListView

from phongtrao.accounts.mixins import RoleRequiredMixin
from phongtrao.accounts.models import Role, User


class UserListView(RoleRequiredMixin, ListView):
    required_role = Role.ADMIN
    model = User
    paginate_by = 50
    template_name = "accounts/user_list.html"
