"""Demo data of the outreach app for `kexie demo`: idempotent, deterministic, through the services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Organization, User
from kexie.accounts.services import add_membership, create_organization, create_user
from kexie.core.reference import districts
from kexie.core.validators import id_number_check_digit
from kexie.literacy.models import Question
from kexie.outreach import services
from kexie.outreach.enums import SignUpState
from kexie.outreach.models import (
    Activity,
    BulletinDelivery,
    Campaign,
    CourseClass,
    Courtyard,
    NineMeasure,
    SignUp,
    StarLevel,
    Team,
    Venue,
)
from kexie.outreach.registries import REGISTRIES
from kexie.outreach.search import reindex_activities_later

PASSWORD = "Kexie@2026"  # noqa: S105 - the demo's published password
VOLUNTEER_LOGIN = "volunteer_demo"
VENUE_LOGIN = "venue_demo"

# District centres (longitude, latitude) for plausible activity coordinates.
CENTRES = {
    "500101": (108.380, 30.808),
    "500102": (107.395, 29.704),
    "500103": (106.563, 29.557),
    "500104": (106.486, 29.481),
    "500105": (106.533, 29.575),
    "500106": (106.454, 29.541),
    "500107": (106.481, 29.523),
    "500108": (106.561, 29.524),
    "500109": (106.438, 29.825),
    "500112": (106.513, 29.601),
    "500113": (106.519, 29.382),
    "500114": (108.783, 29.528),
    "500115": (107.075, 29.834),
    "500116": (106.253, 29.283),
    "500117": (106.266, 29.991),
    "500118": (105.895, 29.349),
    "500120": (106.231, 29.594),
    "500151": (106.055, 29.840),
    "500153": (105.594, 29.404),
    "500155": (107.800, 30.672),
    "500230": (107.732, 29.866),
    "500236": (109.466, 31.020),
    "500240": (108.112, 29.999),
    "500242": (108.767, 28.840),
}
TOPICS = [
    ("lecture", "elderly", "防范电信网络诈骗科普讲座"),
    ("fair", "public", "科普集市：走近人工智能"),
    ("visit", "youth", "青少年走进科研院所开放日"),
    ("training", "farmers", "柑橘绿色防控技术培训"),
    ("exhibition", "public", "航天科普展"),
    ("consultation", "elderly", "健康科普义诊咨询"),
    ("competition", "youth", "青少年机器人挑战赛"),
    ("lecture", "workers", "安全生产与应急避险讲座"),
]
PLACES = ["科技馆", "文化广场", "社区活动中心", "图书馆报告厅", "中心小学"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = [
    "晓燕",
    "志强",
    "文静",
    "建华",
    "海燕",
    "俊杰",
    "丽娟",
    "明轩",
    "雨桐",
    "子涵",
    "浩然",
    "思远",
    "欣怡",
    "国庆",
    "春梅",
]
SKILLS = ["讲解", "摄影", "急救", "编程", "农技", "医护", "心理咨询", "手语", "组织协调", "天文"]


def _id_number(rng: random.Random, district: str) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 16000))
    first = f"{district}{born:%Y%m%d}{rng.randrange(100, 999)}"
    return first + id_number_check_digit(first)


def _user(
    username: str, full_name: str, organization: Organization | None = None, role: str | None = None
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_user(
            username=username, full_name=full_name, password=PASSWORD, must_change_password=False
        )
    if (
        organization is not None
        and role
        and not user.memberships.filter(organization=organization, role=role).exists()
    ):
        add_membership(user=user, organization=organization, role=role)
    return user


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_demo(users: dict) -> list[tuple[str, str]]:
    """Load the app's demo data; return the demo logins it created as (username, description)."""
    logins = [
        (VOLUNTEER_LOGIN, "科技志愿者 volunteer (signs up, checks in by QR, ledger and certificate)"),
        (VENUE_LOGIN, "重庆科技馆 venue staff (monthly reports, exhibitions, tours)"),
        ("kepu_reviewer1", "科普示范评审专家 reviewer of the outreach calls"),
        ("kepu_applicant_title", "科普职称申报人 applicant (dossier waiting for 渝中区科协)"),
    ]
    if Campaign.objects.exists():
        return logins
    with transaction.atomic():
        _load(users)
        reindex_activities_later(Activity.objects.values_list("pk", flat=True))
    return logins


def _load(users: dict) -> None:  # noqa: PLR0915 - one demo, told in order
    rng = random.Random(2026)  # noqa: S311 - deterministic demo data, not secrets
    staff = users["kepu_head"]
    yuzhong = users["yuzhong"]
    today = timezone.localdate()
    orgs = {o.code: o for o in Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION)}
    names = districts()

    for stars, name, hours in [
        (1, "一星科技志愿者", 20),
        (2, "二星科技志愿者", 100),
        (3, "三星科技志愿者", 300),
        (4, "四星科技志愿者", 600),
        (5, "五星科技志愿者", 1500),
    ]:
        StarLevel.objects.create(stars=stars, name=name, min_hours=Decimal(hours))

    # Campaigns of this year and the last.
    campaigns = {}
    for year in (today.year - 1, today.year):
        for kind, name, start, days in [
            ("science_week", f"{year}年重庆市科技活动周", date(year, 5, 18), 7),
            ("science_day", f"{year}年全国科普日重庆主场活动", date(year, 9, 15), 14),
            ("civilisation", f"{year}年新时代文明实践中心“讲科技”志愿服务", date(year, 1, 1), 364),
        ]:
            campaigns[(year, kind)] = services.save_record(
                instance=Campaign(),
                values={
                    "name": name,
                    "kind": kind,
                    "year": year,
                    "starts_on": start,
                    "ends_on": start + timedelta(days=days),
                    "description": "",
                },
                by=staff,
                can=REGISTRIES["campaigns"].can_change,
                action="outreach.campaigns",
            )

    # Activities: last year's campaigns reported; this year's spread over the past months and the
    # coming weeks, in 24 districts (the other 14 have registered nothing — completeness shows them).
    codes = sorted(CENTRES)
    activities = []
    for n in range(90):
        code = codes[n % len(codes)]
        kind, audience, topic = TOPICS[n % len(TOPICS)]
        offset = -330 + n * 4 if n < 75 else (n - 74) * 3
        day = today + timedelta(days=offset)
        campaign = (
            campaigns.get((day.year, "science_day"))
            if day.month == 9
            else campaigns.get((day.year, "science_week"))
            if day.month == 5
            else campaigns.get((day.year, "civilisation"))
        )
        lon, lat = CENTRES[code]
        activity = Activity.objects.create(
            campaign=campaign,
            title=f"{names[code].removesuffix('区').removesuffix('县')}{topic}",
            kind=kind,
            audience=audience,
            district=code,
            organizer=orgs[code],
            place=names[code] + rng.choice(PLACES),
            latitude=Decimal(str(round(lat + rng.uniform(-0.05, 0.05), 6))),
            longitude=Decimal(str(round(lon + rng.uniform(-0.05, 0.05), 6))),
            starts_at=_at(day, 9 + n % 6),
            ends_at=_at(day, 12 + n % 6),
            volunteers_needed=rng.choice([0, 5, 8, 12]),
            description="面向群众普及科学知识，倡导科学方法，传播科学思想，弘扬科学精神。",
            created_by=staff,
        )
        activities.append(activity)
        if day < today - timedelta(days=3) and n % 5 != 0:
            services.report_activity(
                activity=activity,
                by=staff,
                attendance=rng.randrange(40, 600),
                summary="活动按计划举办，群众参与积极，发放科普资料若干份。",
            )

    # The 全国科普日 activity of 渝中区 that the browser journey starts from, a week ahead.
    science_day = campaigns.get((today.year, "science_day"))
    services.register_activity(
        by=yuzhong,
        campaign=science_day,
        title="全国科普日·解放碑“科学之夜”科普集市",
        kind="fair",
        audience="public",
        district="500103",
        organizer=orgs["500103"],
        co_organizers="渝中区科技局、解放碑街道",
        place="解放碑步行街临江门广场",
        latitude=Decimal("29.559"),
        longitude=Decimal("106.575"),
        starts_at=_at(today + timedelta(days=7), 14),
        ends_at=_at(today + timedelta(days=7), 18),
        volunteers_needed=20,
        description="科普展位、科学实验秀和院士科普讲座。",
    )
    # A draft 渝中区 is still planning: only its organisers see it (to-do "activity drafts to publish").
    services.register_activity(
        by=yuzhong,
        draft=True,
        campaign=science_day,
        title="全国科普日·社区应急科普体验日（筹备中）",
        kind="lecture",
        audience="public",
        district="500103",
        organizer=orgs["500103"],
        place="渝中区大坪街道社区活动中心",
        starts_at=_at(today + timedelta(days=21), 9),
        ends_at=_at(today + timedelta(days=21), 12),
        volunteers_needed=8,
        description="地震、火灾逃生演练与急救技能体验，具体安排待定。",
    )

    # Volunteers with confirmed hours on past activities.
    volunteer_user = _user(VOLUNTEER_LOGIN, "周晓燕")
    volunteers = [
        services.register_volunteer(
            user=volunteer_user,
            real_name="周晓燕",
            id_number=_id_number(rng, "500103"),
            mobile="13983001234",
            district="500103",
            skills=["讲解", "组织协调"],
        )
    ]
    for n in range(39):
        code = codes[n % len(codes)]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        user = _user(f"volunteer{n:02d}", name)
        volunteers.append(
            services.register_volunteer(
                user=user,
                real_name=name,
                id_number=_id_number(rng, code),
                mobile=f"139{rng.randrange(10**7, 10**8)}",
                district=code,
                skills=rng.sample(SKILLS, 2),
            )
        )
    past = [a for a in activities if a.ends_at < timezone.now() and a.volunteers_needed]
    for activity in past[:30]:
        for volunteer in rng.sample(volunteers, 4) + ([volunteers[0]] if activity.pk % 3 == 0 else []):
            if SignUp.objects.filter(activity=activity, volunteer=volunteer).exists():
                continue
            hours = Decimal(rng.choice([2, 2.5, 3]))
            SignUp.objects.create(
                activity=activity,
                volunteer=volunteer,
                state=SignUpState.CHECKED_OUT,
                checked_in_at=activity.starts_at,
                checked_out_at=activity.starts_at + timedelta(hours=float(hours)),
                hours=hours,
            )
    for signup in (
        SignUp.objects.filter(state=SignUpState.CHECKED_OUT)
        .select_related("activity", "volunteer")
        .order_by("pk")[:110]
    ):
        services.confirm_hours(signup=signup, by=staff)

    # Teams, the 恒合乡 expert service team among them.
    wanzhou = orgs["500101"]
    kepu = Organization.objects.get(name="科学技术普及部")
    for name, kind, code, org, text in [
        (
            "市科协科技助力恒合乡乡村振兴专家服务队",
            "expert_team",
            "500101",
            kepu,
            "农业、林业、医疗和规划专家定期驻点恒合乡，推进“九个一”措施。",
        ),
        (
            "渝中区解放碑科技志愿服务队",
            "volunteer_team",
            "500103",
            orgs["500103"],
            "服务全国科普日、科技活动周和社区科普。",
        ),
        ("万州区三峡科技志愿服务队", "volunteer_team", "500101", wanzhou, "库区科普与应急科普宣传。"),
        (
            "重庆科技馆科普讲解志愿服务队",
            "volunteer_team",
            "500106",
            orgs["500106"],
            "科技馆展厅讲解与科学实验表演。",
        ),
    ]:
        team = services.save_record(
            instance=Team(),
            values={"name": name, "kind": kind, "district": code, "organization": org, "description": text},
            by=staff,
            can=REGISTRIES["teams"].can_change,
            action="outreach.teams",
        )
        for volunteer in rng.sample(volunteers[1:], 6) + ([volunteers[0]] if code == "500103" else []):
            services.join_team(team=team, volunteer=volunteer, by=staff)

    _university(staff, rng, today)
    venue_user = _venues(staff, rng, today)
    _bulletins(staff, users, today)
    _rural(staff, rng, today)
    _youth(staff, rng)
    _recognition(staff, users, today)
    del venue_user


def _university(staff, rng: random.Random, today: date) -> None:
    points = []
    for code, name, host in [
        ("500103", "渝中区社区科普大学解放碑教学点", "解放碑街道"),
        ("500106", "沙坪坝区社区科普大学磁器口教学点", "磁器口街道"),
        ("500112", "渝北区社区科普大学龙溪教学点", "龙溪街道"),
        ("500101", "万州区社区科普大学高笋塘教学点", "高笋塘街道"),
        ("500118", "永川区社区科普大学中山路教学点", "中山路街道"),
    ]:
        points.append(
            services.save_record(
                instance=REGISTRIES["points"].model(),
                values={
                    "name": name,
                    "district": code,
                    "address": f"{host}社区服务中心三楼",
                    "host": host,
                    "opened_on": date(2019, 3, 1),
                },
                by=staff,
                can=REGISTRIES["points"].can_change,
                action="outreach.points",
            )
        )
    courses = [
        services.save_record(
            instance=REGISTRIES["courses"].model(),
            values={"title": title, "subject": subject, "lessons": 8, "description": ""},
            by=staff,
            can=REGISTRIES["courses"].can_change,
            action="outreach.courses",
        )
        for title, subject in [
            ("智能手机与防诈骗", "信息技术"),
            ("老年健康与合理用药", "医学健康"),
            ("家庭应急避险", "应急安全"),
            ("身边的植物与园艺", "生命科学"),
        ]
    ]
    teachers = [
        services.save_record(
            instance=REGISTRIES["teachers"].model(),
            values={
                "name": name,
                "title": title,
                "affiliation": aff,
                "mobile": f"136{rng.randrange(10**7, 10**8)}",
                "district": "",
            },
            by=staff,
            can=REGISTRIES["teachers"].can_change,
            action="outreach.teachers",
        )
        for name, title, aff in [
            ("陈立华", "副主任医师", "重庆医科大学附属第一医院"),
            ("刘青", "高级工程师", "重庆邮电大学"),
            ("杨帆", "讲师", "西南大学"),
            ("邓敏", "应急救护培训师", "重庆市红十字会"),
        ]
    ]
    for year in (today.year - 1, today.year):
        for i, point in enumerate(points):
            course_class = services.save_record(
                instance=CourseClass(),
                values={
                    "teaching_point": point,
                    "course": courses[(i + year) % 4],
                    "teacher": teachers[(i + year) % 4],
                    "year": year,
                    "starts_on": date(year, 3, 1),
                    "capacity": 40,
                },
                by=staff,
                can=REGISTRIES["classes"].can_change,
                action="outreach.classes",
            )
            for n in range(rng.randrange(12, 25)):
                services.enrol(
                    course_class=course_class,
                    by=staff,
                    learner_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    mobile=f"135{year % 100:02d}{i}{n:05d}"[:11],
                    age=rng.randrange(55, 80),
                )
            enrolled = list(course_class.enrolments.values_list("pk", flat=True))
            for lesson in range(4):
                held = min(date(year, 3, 1) + timedelta(days=7 * lesson), today)
                services.record_lesson(
                    course_class=course_class,
                    by=staff,
                    held_on=held,
                    topic=f"第{lesson + 1}讲",
                    present=rng.sample(enrolled, int(len(enrolled) * 0.8)),
                )


def _venues(staff, rng: random.Random, today: date) -> User:
    head_org = Organization.objects.get(name="重庆科技馆")
    root = head_org.parent
    venue_user = _user(VENUE_LOGIN, "黄展馆", head_org, Role.SOCIETY_STAFF)
    rows = [
        ("重庆科技馆", "head", "500105", head_org, "江北区江北城文星门街7号", 106.580, 29.574, 48300),
        ("万州区科技馆", "district_museum", "500101", None, "万州区江南新区", 108.404, 30.792, 12000),
        ("永川区科技馆", "district_museum", "500118", None, "永川区兴龙大道", 105.927, 29.356, 9000),
        ("黔江区科技馆", "district_museum", "500114", None, "黔江区城东街道", 108.771, 29.533, 6500),
        ("重庆市流动科技馆", "mobile_museum", "500105", head_org, "", 106.580, 29.574, None),
        ("重庆市科普大篷车", "caravan", "500105", head_org, "", 106.580, 29.574, None),
        ("重庆自然博物馆（科普基地）", "base", "500109", None, "北碚区金华路398号", 106.418, 29.808, 30000),
        (
            "西部（重庆）科学城西部科普中心",
            "west_centre",
            "500106",
            None,
            "高新区科学大道",
            106.336,
            29.577,
            20000,
        ),
    ]
    venues = []
    for name, kind, code, operator, address, lon, lat, area in rows:
        org = operator
        if org is None:
            org = Organization.objects.filter(name=name).first() or create_organization(
                name=name, short_name=name[:10], kind=OrganizationKind.OTHER, parent=root
            )
        venues.append(
            services.save_record(
                instance=Venue(),
                values={
                    "name": name,
                    "kind": kind,
                    "district": code,
                    "organization": org,
                    "address": address,
                    "latitude": Decimal(str(lat)),
                    "longitude": Decimal(str(lon)),
                    "floor_area": area,
                    "opened_on": date(2009, 9, 9),
                    "is_active": True,
                },
                by=staff,
                can=REGISTRIES["venues"].can_change,
                action="outreach.venues",
            )
        )
    for venue in venues[:4] + venues[6:]:
        base = 60000 if venue.kind == "head" else 9000
        for back in range(12, 0, -1):
            month = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=1)
            visitors = int(base * rng.uniform(0.7, 1.3))
            services.report_month(
                venue=venue,
                by=staff,
                month=month,
                visitors=visitors,
                youth_visitors=int(visitors * 0.45),
                activities=rng.randrange(4, 30),
            )
    for venue, title, kind, start in [
        (venues[0], "“宇航天地”常设展厅", "permanent", date(2009, 9, 9)),
        (venues[0], "“智能时代”人工智能主题展", "temporary", today - timedelta(days=40)),
        (venues[1], "三峡库区生态科普展", "permanent", date(2018, 5, 1)),
        (venues[4], "“科技改变生活”流动巡展", "touring", today - timedelta(days=90)),
    ]:
        services.save_record(
            instance=REGISTRIES["exhibitions"].model(),
            values={
                "venue": venue,
                "title": title,
                "kind": kind,
                "starts_on": start,
                "ends_on": None,
                "description": "",
            },
            by=venue_user if venue.organization_id == head_org.pk else staff,
            can=REGISTRIES["exhibitions"].can_change,
            action="outreach.exhibitions",
        )
    for i, (code, place) in enumerate(
        [
            ("500230", "丰都县三合街道中心小学"),
            ("500236", "奉节县夔门街道文化广场"),
            ("500242", "酉阳县桃花源街道初级中学"),
            ("500240", "石柱县南宾街道科技广场"),
            ("500155", "梁平区双桂街道中学"),
        ]
    ):
        start = today + timedelta(days=-40 + i * 20)
        services.save_record(
            instance=REGISTRIES["stops"].model(),
            values={
                "venue": venues[4 + i % 2],
                "district": code,
                "place": place,
                "starts_on": start,
                "ends_on": start + timedelta(days=10),
                "visitors": rng.randrange(2000, 8000) if start < today - timedelta(days=10) else None,
                "state": "done" if start < today - timedelta(days=10) else "planned",
            },
            by=venue_user,
            can=REGISTRIES["stops"].can_change,
            action="outreach.stops",
        )
    return venue_user


def _bulletins(staff, users: dict, today: date) -> None:
    templates = []
    for title, topic, content in [
        (
            "强降雨及地质灾害防范科普提示",
            "flood",
            "近期我市将出现强降雨天气，请提醒群众远离河道、边坡，发现山体裂缝及时报告并撤离。",
        ),
        (
            "高温中暑防范科普提示",
            "heat",
            "持续高温天气，请避免正午户外作业，多饮水，发现中暑症状及时转移至阴凉处并就医。",
        ),
        (
            "地震应急避险科普提示",
            "earthquake",
            "地震发生时保持冷静，就近躲避在坚固家具旁，震后有序撤离至空旷地带。",
        ),
        (
            "流感季节防护科普提示",
            "epidemic",
            "流感高发季节，请科学佩戴口罩、勤洗手、常通风，出现发热症状及时就医。",
        ),
        ("森林防火科普提示", "fire", "森林防火期严禁野外用火，发现火情立即拨打119或12119。"),
    ]:
        templates.append(
            services.save_record(
                instance=REGISTRIES["templates"].model(),
                values={"title": title, "topic": topic, "content": content},
                by=staff,
                can=REGISTRIES["templates"].can_change,
                action="outreach.templates",
            )
        )
    drill = services.save_bulletin(
        by=staff,
        title="【演练】强降雨及地质灾害防范科普提示",
        topic="flood",
        content=templates[0].content,
        audience="districts",
        is_drill=True,
        read_within_hours=2,
        template=templates[0],
    )
    published = timezone.now() - timedelta(days=2)
    services.publish_bulletin(bulletin=drill, by=staff, now=published)
    for delivery in BulletinDelivery.objects.filter(bulletin=drill).order_by("organization__sort_order")[:30]:
        delivery.read_at = published + timedelta(minutes=20 + delivery.pk % 90)
        delivery.forwarded = 20 + delivery.pk % 40
        delivery.forwarded_at = delivery.read_at
        delivery.save(update_fields=["read_at", "forwarded", "forwarded_at"])
    heat = services.save_bulletin(
        by=staff,
        title="高温中暑防范科普提示",
        topic="heat",
        content=templates[1].content,
        audience="all",
        is_drill=False,
        read_within_hours=4,
        template=templates[1],
    )
    services.publish_bulletin(bulletin=heat, by=staff, now=timezone.now() - timedelta(hours=6))
    services.save_bulletin(
        by=staff,
        title="地震应急避险科普提示（草稿）",
        topic="earthquake",
        content=templates[2].content,
        audience="all",
        is_drill=False,
        read_within_hours=2,
    )
    del users


def _rural(staff, rng: random.Random, today: date) -> None:
    yards = []
    for name, code, town, host, university, industry, residents in [
        (
            "万州恒合乡科技小院",
            "500101",
            "恒合土家族乡",
            "恒合乡中药材专业合作社",
            "西南大学",
            "中药材",
            [{"name": "李明", "degree": "doctor"}, {"name": "张悦", "degree": "master"}],
        ),
        (
            "奉节脐橙科技小院",
            "500236",
            "安坪镇",
            "奉节县脐橙产业协会",
            "西南大学",
            "柑橘",
            [{"name": "王浩", "degree": "master"}],
        ),
        (
            "石柱黄连科技小院",
            "500240",
            "黄水镇",
            "石柱县黄连专业合作社",
            "重庆三峡学院",
            "黄连",
            [{"name": "刘丹", "degree": "doctor"}],
        ),
        (
            "荣昌生猪科技小院",
            "500153",
            "峰高街道",
            "重庆市畜牧科学院",
            "西南大学",
            "生猪",
            [{"name": "陈杰", "degree": "master"}, {"name": "赵琳", "degree": "master"}],
        ),
    ]:
        yards.append(
            services.save_record(
                instance=Courtyard(),
                values={
                    "name": name,
                    "district": code,
                    "town": town,
                    "host": host,
                    "university": university,
                    "industry": industry,
                    "residents": residents,
                    "established_on": date(2021, 6, 1),
                    "latitude": None,
                    "longitude": None,
                },
                by=staff,
                can=REGISTRIES["courtyards"].can_change,
                action="outreach.courtyards",
            )
        )
    for yard in yards:
        for n in range(8):
            kind = ["visit", "training", "technology", "demonstration"][n % 4]
            services.save_record(
                instance=REGISTRIES["logs"].model(),
                values={
                    "courtyard": yard,
                    "held_on": today - timedelta(days=12 * n + 3),
                    "kind": kind,
                    "title": {
                        "visit": "入户走访指导",
                        "training": "田间技术培训",
                        "technology": "引进新品种新技术",
                        "demonstration": "示范基地观摩",
                    }[kind],
                    "technologies": "水肥一体化、病虫害绿色防控" if kind == "technology" else "",
                    "farmers_reached": rng.randrange(15, 120),
                    "note": "",
                },
                by=staff,
                can=REGISTRIES["logs"].can_change,
                action="outreach.logs",
            )
        services.save_record(
            instance=REGISTRIES["outcomes"].model(),
            values={
                "courtyard": yard,
                "year": today.year - 1,
                "title": f"{yard.industry}提质增效技术推广",
                "description": "",
                "income_increase": Decimal(rng.randrange(30, 300)),
            },
            by=staff,
            can=REGISTRIES["outcomes"].can_change,
            action="outreach.outcomes",
        )
    for name, code, level, industry, members in [
        ("重庆市农村专业技术协会", "500103", "city", "综合", 1200),
        ("万州区恒合乡中药材协会", "500101", "township", "中药材", 86),
        ("奉节县脐橙产业协会", "500236", "district", "柑橘", 430),
        ("潼南区柠檬种植技术协会", "500152", "district", "柠檬", 260),
        ("荣昌区生猪养殖技术协会", "500153", "district", "生猪", 310),
    ]:
        services.save_record(
            instance=REGISTRIES["associations"].model(),
            values={
                "name": name,
                "district": code,
                "level": level,
                "industry": industry,
                "members": members,
                "chair": "",
                "founded_on": None,
            },
            by=staff,
            can=REGISTRIES["associations"].can_change,
            action="outreach.associations",
        )
    for number, title, target, progress in [
        (1, "建设一个科技小院", "恒合乡中药材科技小院建成运行，常驻研究生不少于2名", 100),
        (2, "组建一支专家服务队", "专家服务队每季度驻点服务不少于1次", 100),
        (3, "建设一个科普e站", "乡场镇建成科普e站并常态更新", 80),
        (4, "培育一个特色产业", "中药材种植面积达到5000亩", 60),
        (5, "建立一个示范基地", "建成标准化中药材示范基地1个", 70),
        (6, "成立一个农技协", "成立乡级中药材协会并开展服务", 100),
        (7, "开展一系列技术培训", "每年培训农民不少于500人次", 55),
        (8, "打造一个科普示范村", "创建市级科普示范村1个", 40),
        (9, "引进一批新品种新技术", "引进新品种新技术不少于5项", 60),
    ]:
        measure = NineMeasure.objects.create(
            number=number, title=title, target=target, lead="科学技术普及部", created_by=staff
        )
        services.report_nine_progress(
            measure=measure,
            by=staff,
            progress=progress,
            note="按计划推进，阶段目标已完成。",
            reported_on=today - timedelta(days=10 - number),
        )


def _youth(staff, rng: random.Random) -> None:
    if not Question.objects.filter(state="reviewed").exists():
        return
    evaluation = services.create_evaluation(
        by=staff,
        title="2025年重庆市青少年科学素质测评（初中）",
        school_year="2025—2026学年",
        grade_band="初中一至三年级",
        item_count=15,
        seed=7,
    )
    items = list(evaluation.assessment.items.select_related("question"))
    schools = [
        ("重庆市巴蜀中学", "500103"),
        ("重庆市第八中学", "500106"),
        ("万州区第二中学", "500101"),
        ("永川中学", "500118"),
    ]
    for n in range(24):
        school, code = schools[n % len(schools)]
        pupil = _user(f"pupil{n:02d}", f"学生{n + 1:02d}")
        answers = {
            item.question_id: (list(item.question.answer) if rng.random() < 0.55 + 0.1 * (n % 4) else [0])
            for item in items
        }
        services.submit_evaluation(
            evaluation=evaluation,
            user=pupil,
            answers=answers,
            school=school,
            grade=f"初{n % 3 + 1}",
            district=code,
        )


def _reviewer(username: str, name: str, org: str, staff):
    from kexie.experts import services as experts  # noqa: PLC0415 - only the demo makes experts here
    from kexie.experts.enums import ProfessionalTitle, Sex, VerificationState  # noqa: PLC0415
    from kexie.experts.models import Expert  # noqa: PLC0415

    user = _user(username, name, Organization.objects.filter(parent__isnull=True).first(), Role.EXPERT)
    return Expert.objects.filter(user=user).first() or experts.create_expert(
        by=staff,
        user=user,
        state=VerificationState.VERIFIED,
        name=name,
        sex=Sex.FEMALE,
        birth_year=1972,
        organization_name=org,
        title=ProfessionalTitle.PROFESSOR,
        keywords=["科学传播", "科普教育"],
        research_areas="科学传播、科普教育",
    )


def _recognition(staff, users: dict, today: date) -> None:
    """Last year's 科普示范 call taken through the calls engine to published results (the sites
    are registered by the kind's on_decision), and this year's 科普职称 evaluation open, with a
    dossier waiting for 渝中区科协's endorsement."""
    from kexie.calls import services as calls  # noqa: PLC0415 - the demo drives the engine
    from kexie.calls.enums import FormalOutcome  # noqa: PLC0415
    from kexie.calls.models import Assignment  # noqa: PLC0415
    from kexie.outreach.calls import DEMONSTRATION, TITLE  # noqa: PLC0415

    now = timezone.now()
    reviewers = [
        _reviewer("kepu_reviewer1", "邓晓岚", "重庆师范大学", staff),
        _reviewer("kepu_reviewer2", "秦怀远", "重庆科技馆", staff),
        _reviewer("kepu_reviewer3", "彭雪梅", "西南大学", staff),
    ]
    yuzhong = users["yuzhong"]
    beibei_org = Organization.objects.get(kind=OrganizationKind.DISTRICT_ASSOCIATION, code="500109")
    beibei = _user("beibei_district", "罗北碚", beibei_org, Role.DISTRICT_STAFF)
    call = services.start_recognition_call(
        kind=DEMONSTRATION, year=today.year - 1, by=staff, closes_at=now + timedelta(days=1)
    )
    calls.open_call(call, by=staff)
    entries = [
        (yuzhong, "500103", "解放碑街道科普示范社区", "community", "解放碑街道", (27, 26, 36)),
        (yuzhong, "500103", "渝中区全域科普示范区", "district", "渝中区科学技术协会", (25, 24, 33)),
        (beibei, "500109", "缙云山自然教育科普示范基地", "base", "缙云山国家级自然保护区", (28, 27, 37)),
        (beibei, "500109", "天生街道科普示范社区", "community", "天生街道", (20, 19, 28)),
    ]
    points = {}
    for n, (district_user, code, name, kind, unit, score) in enumerate(entries):
        channel = call.channels.get(organization__code=code)
        token = calls.issue_codes(channel, 1, by=district_user)[0].code
        applicant = _user(f"kepu_applicant{n + 1}", f"{unit}科普联络员")
        submission = calls.create_submission(
            call=call,
            applicant=applicant,
            code=token,
            title=name,
            organization_name=unit,
            data={
                "site_name": name,
                "site_kind": kind,
                "district": code,
                "contact": f"{unit} 023-6{n + 1}000000",
                "summary": f"{name}建有科普活动阵地，常年开展科普讲座、科学实验和应急科普宣传，"
                "年服务群众逾万人次。",
                "facilities": "科普活动室、科普长廊、科普电子屏和青少年科学工作室。",
            },
        )
        submission = calls.submit(submission, by=applicant)
        for who in (district_user, district_user, staff):
            submission = calls.endorse(submission, by=who, comment="同意推荐")
        calls.formal_check(submission, by=staff, outcome=FormalOutcome.PASS)
        points[submission.pk] = score
    calls.update_call(call, by=staff, opens_at=now - timedelta(days=300), closes_at=now - timedelta(days=270))
    calls.close_call(call, by=staff)
    review_round = call.rounds.get()
    for reviewer in calls.invite_reviewers(review_round, reviewers, by=staff):
        calls.accept(reviewer, by=reviewer.expert.user)
    calls.assign(review_round, by=staff)
    for assignment in Assignment.objects.filter(round=review_round, active=True).select_related(
        "reviewer__expert__user"
    ):
        organisation, facilities, effect = points[assignment.submission_id]
        calls.score(
            assignment,
            by=assignment.reviewer.expert.user,
            scores={"organisation": organisation, "facilities": facilities, "effect": effect},
            comment="创建基础扎实，特色鲜明。",
        )
    calls.close_round(review_round, by=staff)
    calls.decide(call, by=staff, rule={"top_n": 3})
    calls.open_publicity(call, by=staff, start=today - timedelta(days=30))
    calls.finalise(call, by=staff)

    # This year's title evaluation: open; one dossier submitted, waiting for the district.
    titles = services.start_recognition_call(
        kind=TITLE, year=today.year, by=staff, closes_at=now + timedelta(days=45)
    )
    calls.open_call(titles, by=staff)
    channel = titles.channels.get(organization__code="500103")
    token = calls.issue_codes(channel, 2, by=yuzhong)[0].code
    applicant = _user("kepu_applicant_title", "何晓科")
    submission = calls.create_submission(
        call=titles,
        applicant=applicant,
        code=token,
        title="科普专业技术职称申报（何晓科）",
        organization_name="渝中区科技馆",
        data={
            "name": "何晓科",
            "level": "intermediate",
            "unit": "渝中区科技馆",
            "years": 8,
            "summary": "长期从事科技馆展教工作，策划科普展览6项，开展科普讲座百余场，出版科普图书2部。",
        },
    )
    calls.submit(submission, by=applicant)
