"""make_x(**kwargs) helpers: the smallest valid objects, with anything overridable."""

import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Category, Kind, Post, Unit

_seq = itertools.count(1)


def make_user(username=None, groups=(), units=(), **kwargs):
    user = User.objects.create_user(username or f"user{next(_seq)}", password="pw-123456", **kwargs)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for unit in units:
        unit.handlers.add(user)
    return user


def make_editor(**kwargs):
    return make_user(groups=["编辑"], **kwargs)


def make_handler(unit, **kwargs):
    return make_user(groups=["信息员"], units=[unit], **kwargs)


def make_unit(name=None, **kwargs):
    return Unit.objects.create(name=name or f"单位{next(_seq)}", **kwargs)


def make_kind(name="咨询", slug="question"):
    return Kind.objects.get_or_create(slug=slug, defaults={"name": name, "entry_label": f"我有{name}"})[0]


def make_category(name="后勤保障", default_unit=None):
    return Category.objects.get_or_create(name=name, defaults={"default_unit": default_unit})[0]


def make_post(**kwargs):
    kwargs.setdefault("kind", make_kind())
    kwargs.setdefault("category", make_category())
    kwargs.setdefault("title", "宿舍热水几点供应")
    kwargs.setdefault("body", "请问三号楼宿舍热水每天几点开始供应？")
    return Post.objects.create(**kwargs)


def make_accepted_post(editor, unit, **kwargs):
    post = make_post(**kwargs)
    post.accept(editor, unit)
    return post


def make_replied_post(editor, handler, unit, is_public=True, body="每天 6:30–23:30 供应。", **kwargs):
    post = make_accepted_post(editor, unit, **kwargs)
    post.reply(handler, body, is_public=is_public)
    return post


def image_bytes(fmt="JPEG", size=(40, 30), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")
