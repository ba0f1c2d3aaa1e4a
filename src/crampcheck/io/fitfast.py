"""Fast columnar FIT decoder: bytes -> FitMessages, identical to ``fitref`` (fitparse).

How it works (a FIT file is a stream of 1-byte-header messages; "definition" messages
give the layout of the "data" messages that follow under the same local type):

1. One light Python pass over the message headers (``_walk_section``): for every
   definition it keeps the byte offsets of its data messages. Nothing is decoded yet.
2. Records: for all ``record`` definitions that read a name the same way, the field is
   gathered for all their messages at once with numpy (an unaligned typed view of the file
   bytes, in the definition's byte order, indexed by the message offsets), then invalid
   values -> NaN, scale and offset, vectorized. As in fitref, a name given by several
   fields (``speed`` and the ``enhanced_speed`` component of ``speed``...) keeps, per
   record, the first value that is not None. Compressed-timestamp headers and the
   accumulated distance of old footpod files (``compressed_speed_distance``) are resolved
   vectorized too (``_unwrap``).
3. The few other messages crampcheck reads (session, lap, event, file_id...) are decoded
   one by one in Python, with fitparse's rules (sub-fields, components, enum names).
4. The file CRC is checked with a vectorized CRC-16 (``crc16_array``).

Fields other than those in ``RECORD_FIELDS`` / ``MESSAGE_FIELDS`` are skipped by size.
The profile subset and enum names below were generated from fitparse 1.2.0's
``fitparse.profile`` (tests/io/test_fitfast.py checks they still agree with it); they are
written into this module so that importing it costs no more than numpy.

Where this decoder departs from fitparse, on purpose:
- a field whose size is not a multiple of its base type's size is read as raw bytes
  (so its value is invalid / NaN), as fitdecode does, instead of failing the whole file;
- developer fields whose description is missing are skipped, not an error; fitparse also
  remembers developer field descriptions from previously parsed files, this does not;
- ``developer_fields`` holds the names of the developer fields used by record messages
  (as ``fitref`` does); developer fields never enter ``messages``.
Inputs it will not guess about raise ``FitDecodeRefused`` (the caller can fall back to
fitparse): e.g. array-valued record fields that carry components, or a non-integer
timestamp field in a file with compressed-timestamp headers.
"""

from __future__ import annotations

import struct
from array import array
from datetime import timedelta
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from crampcheck.errors import UnreadableFileError
from crampcheck.io.fitmessages import FIT_EPOCH, MESSAGE_FIELDS, RECORD_FIELDS, FitMessages, is_air_developer_field

DECODER_NAME = "crampcheck-fit"

# --- FIT file layout (FIT SDK "FIT File Protocol") ---------------------------------------
MIN_HEADER_SIZE = 12  # header without CRC
HEADER_CRC_OFFSET = 12  # the 14-byte header ends with a CRC of its first 12 bytes
FIT_MAGIC = b".FIT"
MAGIC_OFFSET = 8
CRC_SIZE = 2
COMPRESSED_HEADER_FLAG = 0x80  # bit 7: compressed-timestamp data message
DEFINITION_FLAG = 0x40  # bit 6: definition message
DEVELOPER_DATA_FLAG = 0x20  # bit 5 of a definition header: developer fields follow
NORMAL_LOCAL_MASK = 0x0F
COMPRESSED_LOCAL_SHIFT = 5
COMPRESSED_LOCAL_MASK = 0x03
COMPRESSED_TIME_BITS = 5
COMPRESSED_TIME_MASK = (1 << COMPRESSED_TIME_BITS) - 1
DEFINITION_FIXED_SIZE = 6  # header, reserved, architecture, global number (2), field count
FIELD_DEFINITION_SIZE = 3
TIMESTAMP_FIELD = 253  # field number of `timestamp` in every message

# Global message numbers used here.
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT, DEVICE_INFO, ACTIVITY = 0, 12, 18, 19, 20, 21, 23, 34
FIELD_DESCRIPTION, DEVELOPER_DATA_ID = 206, 207
WEATHER_CONDITIONS = 128

_NAIVE_EPOCH = FIT_EPOCH.replace(tzinfo=None)
_DEVICE_RELATIVE_MAX = 0x10000000  # date_time values below this stay device-relative ints


class FitDecodeRefused(UnreadableFileError):
    """The file uses a FIT feature this decoder does not handle; read it with fitparse."""


# --- Base types (FIT SDK "base types"; invalid value = what fitparse turns into None) ----
class _BaseType(NamedTuple):
    name: str
    size: int  # bytes of one value
    code: str  # numpy type code without byte order ("" for byte and string)
    fmt: str  # struct format character
    invalid: Any  # the invalid value (None for byte/string, "nan" for floats)


_BYTE = _BaseType("byte", 1, "", "B", None)
_STRING = _BaseType("string", 1, "", "s", None)
_NAN = "nan"
BASE_TYPES: dict[int, _BaseType] = {
    0x00: _BaseType("enum", 1, "u1", "B", 0xFF),
    0x01: _BaseType("sint8", 1, "i1", "b", 0x7F),
    0x02: _BaseType("uint8", 1, "u1", "B", 0xFF),
    0x83: _BaseType("sint16", 2, "i2", "h", 0x7FFF),
    0x84: _BaseType("uint16", 2, "u2", "H", 0xFFFF),
    0x85: _BaseType("sint32", 4, "i4", "i", 0x7FFFFFFF),
    0x86: _BaseType("uint32", 4, "u4", "I", 0xFFFFFFFF),
    0x07: _STRING,
    0x88: _BaseType("float32", 4, "f4", "f", _NAN),
    0x89: _BaseType("float64", 8, "f8", "d", _NAN),
    0x0A: _BaseType("uint8z", 1, "u1", "B", 0),
    0x8B: _BaseType("uint16z", 2, "u2", "H", 0),
    0x8C: _BaseType("uint32z", 4, "u4", "I", 0),
    0x0D: _BYTE,
    0x8E: _BaseType("sint64", 8, "i8", "q", 0x7FFFFFFFFFFFFFFF),
    0x8F: _BaseType("uint64", 8, "u8", "Q", 0xFFFFFFFFFFFFFFFF),
    0x90: _BaseType("uint64z", 8, "u8", "Q", 0),
}


# --- Profile subset: only the fields that give the names crampcheck reads ----------------
UTC_TIME = "date_time"  # seconds since FIT epoch; ints below 0x10000000 are device-relative
LOCAL_TIME = "local_date_time"  # local wall-clock seconds since FIT epoch, always a datetime


class _Component(NamedTuple):
    """Bits of a field that also give another field (e.g. speed -> enhanced_speed)."""

    name: str
    def_num: int  # field number of the target field
    scale: float | None
    offset: float | None
    bits: int
    bit_offset: int = 0
    accumulate: bool = False


class _SubField(NamedTuple):
    """A field read under another name when a reference field has one of some values."""

    name: str | None  # None: a name crampcheck never reads
    refs: tuple[tuple[int, int], ...]  # (reference field number, raw value) pairs
    enum: str | None = None


class _Field(NamedTuple):
    name: str
    scale: float | None = None
    offset: float | None = None
    enum: str | None = None  # enum table giving names to raw values
    time: str | None = None  # UTC_TIME or LOCAL_TIME
    components: tuple[_Component, ...] = ()
    subfields: tuple[_SubField, ...] = ()


RECORD_PROFILE: dict[int, _Field] = {
    0: _Field("position_lat"),  # semicircles
    1: _Field("position_long"),
    2: _Field("altitude", 5, 500, components=(_Component("enhanced_altitude", 78, 5, 500, 16),)),
    3: _Field("heart_rate"),
    4: _Field("cadence"),
    5: _Field("distance", 100),
    6: _Field("speed", 1000, components=(_Component("enhanced_speed", 73, 1000, None, 16),)),
    7: _Field("power"),
    8: _Field("compressed_speed_distance", components=(
        _Component("speed", 6, 100, None, 12),
        _Component("distance", 5, 16, None, 12, bit_offset=12, accumulate=True),
    )),
    13: _Field("temperature"),
    53: _Field("fractional_cadence", 128),
    73: _Field("enhanced_speed", 1000),
    78: _Field("enhanced_altitude", 5, 500),
    TIMESTAMP_FIELD: _Field("timestamp", time=UTC_TIME),
}

_MANUFACTURERS_WITH_GARMIN_PRODUCTS = (1, 15, 13)  # garmin, dynastream, dynastream_oem


def _garmin_product(manufacturer_field: int) -> _SubField:
    refs = tuple((manufacturer_field, m) for m in _MANUFACTURERS_WITH_GARMIN_PRODUCTS)
    return _SubField("garmin_product", refs, enum="garmin_product")


# `event.data` is read under another name (timer_trigger, battery_level...) for these events.
_EVENTS_RENAMING_DATA = (0, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 24, 25, 27, 33, 42, 43, 44, 47)
_TIMESTAMP = _Field("timestamp", time=UTC_TIME)

MESSAGE_PROFILE: dict[int, tuple[str, dict[int, _Field]]] = {
    FILE_ID: ("file_id", {
        0: _Field("type", enum="file"),
        1: _Field("manufacturer", enum="manufacturer"),
        2: _Field("product", subfields=(_garmin_product(1),)),
        3: _Field("serial_number"),
        4: _Field("time_created", time=UTC_TIME),
    }),
    SESSION: ("session", {
        2: _Field("start_time", time=UTC_TIME),
        3: _Field("start_position_lat"),
        4: _Field("start_position_long"),
        5: _Field("sport", enum="sport"),
        6: _Field("sub_sport", enum="sub_sport"),
        7: _Field("total_elapsed_time", 1000),
        8: _Field("total_timer_time", 1000),
        9: _Field("total_distance", 100),
        25: _Field("first_lap_index"),
        26: _Field("num_laps"),
        57: _Field("avg_temperature"),
        58: _Field("max_temperature"),
        TIMESTAMP_FIELD: _TIMESTAMP,
    }),
    LAP: ("lap", {
        2: _Field("start_time", time=UTC_TIME),
        7: _Field("total_elapsed_time", 1000),
        8: _Field("total_timer_time", 1000),
        9: _Field("total_distance", 100),
        TIMESTAMP_FIELD: _TIMESTAMP,
    }),
    EVENT: ("event", {
        0: _Field("event", enum="event"),
        1: _Field("event_type", enum="event_type"),
        2: _Field("data16", components=(_Component("data", 3, None, None, 16),)),
        3: _Field("data", subfields=(_SubField(None, tuple((0, e) for e in _EVENTS_RENAMING_DATA)),)),
        TIMESTAMP_FIELD: _TIMESTAMP,
    }),
    ACTIVITY: ("activity", {
        0: _Field("total_timer_time", 1000),
        1: _Field("num_sessions"),
        2: _Field("type", enum="activity"),
        3: _Field("event", enum="event"),
        4: _Field("event_type", enum="event_type"),
        5: _Field("local_timestamp", time=LOCAL_TIME),
        TIMESTAMP_FIELD: _TIMESTAMP,
    }),
    DEVICE_INFO: ("device_info", {
        0: _Field("device_index", enum="device_index"),
        2: _Field("manufacturer", enum="manufacturer"),
        3: _Field("serial_number"),
        4: _Field("product", subfields=(_garmin_product(2),)),
        5: _Field("software_version", 100),
        27: _Field("product_name"),
    }),
    SPORT: ("sport", {
        0: _Field("sport", enum="sport"),
        1: _Field("sub_sport", enum="sub_sport"),
        3: _Field("name"),
    }),
    # Read only to name developer fields (raw values, as fitparse reads them).
    FIELD_DESCRIPTION: ("field_description", {
        0: _Field("developer_data_index"),
        1: _Field("field_definition_number"),
        2: _Field("fit_base_type_id", enum="fit_base_type"),
        3: _Field("field_name"),
    }),
    DEVELOPER_DATA_ID: ("developer_data_id", {3: _Field("developer_data_index")}),
    WEATHER_CONDITIONS: ("weather_conditions", {
        0: _Field("weather_report", enum="weather_report"),
        1: _Field("temperature"),
        7: _Field("relative_humidity"),
        TIMESTAMP_FIELD: _TIMESTAMP,
    }),
}

# Enum names, "raw:name" pairs (from fitparse 1.2.0's profile).
_ENUM_TEXT: dict[str, str] = {
    "file": (
        "1:device 2:settings 3:sport 4:activity 5:workout 6:course 7:schedules 9:weight 10:totals "
        "11:goals 14:blood_pressure 15:monitoring_a 20:activity_summary 28:monitoring_daily "
        "32:monitoring_b 34:segment 35:segment_list 40:exd_configuration 247:mfg_range_min "
        "254:mfg_range_max "
    ),
    "activity": (
        "0:manual 1:auto_multi_sport "
    ),
    "sport": (
        "0:generic 1:running 2:cycling 3:transition 4:fitness_equipment 5:swimming 6:basketball "
        "7:soccer 8:tennis 9:american_football 10:training 11:walking 12:cross_country_skiing "
        "13:alpine_skiing 14:snowboarding 15:rowing 16:mountaineering 17:hiking 18:multisport "
        "19:paddling 20:flying 21:e_biking 22:motorcycling 23:boating 24:driving 25:golf "
        "26:hang_gliding 27:horseback_riding 28:hunting 29:fishing 30:inline_skating "
        "31:rock_climbing 32:sailing 33:ice_skating 34:sky_diving 35:snowshoeing 36:snowmobiling "
        "37:stand_up_paddleboarding 38:surfing 39:wakeboarding 40:water_skiing 41:kayaking "
        "42:rafting 43:windsurfing 44:kitesurfing 45:tactical 46:jumpmaster 47:boxing "
        "48:floor_climbing 254:all "
    ),
    "sub_sport": (
        "0:generic 1:treadmill 2:street 3:trail 4:track 5:spin 6:indoor_cycling 7:road 8:mountain "
        "9:downhill 10:recumbent 11:cyclocross 12:hand_cycling 13:track_cycling 14:indoor_rowing "
        "15:elliptical 16:stair_climbing 17:lap_swimming 18:open_water 19:flexibility_training "
        "20:strength_training 21:warm_up 22:match 23:exercise 24:challenge 25:indoor_skiing "
        "26:cardio_training 27:indoor_walking 28:e_bike_fitness 29:bmx 30:casual_walking "
        "31:speed_walking 32:bike_to_run_transition 33:run_to_bike_transition "
        "34:swim_to_bike_transition 35:atv 36:motocross 37:backcountry 38:resort 39:rc_drone "
        "40:wingsuit 41:whitewater 42:skate_skiing 43:yoga 44:pilates 45:indoor_running "
        "46:gravel_cycling 47:e_bike_mountain 48:commuting 49:mixed_surface 50:navigate "
        "51:track_me 52:map 53:single_gas_diving 54:multi_gas_diving 55:gauge_diving "
        "56:apnea_diving 57:apnea_hunting 58:virtual_activity 59:obstacle 254:all "
    ),
    "event": (
        "0:timer 3:workout 4:workout_step 5:power_down 6:power_up 7:off_course 8:session 9:lap "
        "10:course_point 11:battery 12:virtual_partner_pace 13:hr_high_alert 14:hr_low_alert "
        "15:speed_high_alert 16:speed_low_alert 17:cad_high_alert 18:cad_low_alert "
        "19:power_high_alert 20:power_low_alert 21:recovery_hr 22:battery_low "
        "23:time_duration_alert 24:distance_duration_alert 25:calorie_duration_alert 26:activity "
        "27:fitness_equipment 28:length 32:user_marker 33:sport_point 36:calibration "
        "42:front_gear_change 43:rear_gear_change 44:rider_position_change 45:elev_high_alert "
        "46:elev_low_alert 47:comm_timeout "
    ),
    "event_type": (
        "0:start 1:stop 2:consecutive_depreciated 3:marker 4:stop_all 5:begin_depreciated "
        "6:end_depreciated 7:end_all_depreciated 8:stop_disable 9:stop_disable_all "
    ),
    "device_index": (
        "0:creator "
    ),
    "weather_report": (
        "0:current 1:hourly_forecast 2:daily_forecast "
    ),
    "fit_base_type": (
        "0:enum 1:sint8 2:uint8 7:string 10:uint8z 13:byte 131:sint16 132:uint16 133:sint32 "
        "134:uint32 136:float32 137:float64 139:uint16z 140:uint32z 142:sint64 143:uint64 144:uint64z "
    ),
    "manufacturer": (
        "1:garmin 2:garmin_fr405_antfs 3:zephyr 4:dayton 5:idt 6:srm 7:quarq 8:ibike 9:saris "
        "10:spark_hk 11:tanita 12:echowell 13:dynastream_oem 14:nautilus 15:dynastream 16:timex "
        "17:metrigear 18:xelic 19:beurer 20:cardiosport 21:a_and_d 22:hmm 23:suunto "
        "24:thita_elektronik 25:gpulse 26:clean_mobile 27:pedal_brain 28:peaksware 29:saxonar "
        "30:lemond_fitness 31:dexcom 32:wahoo_fitness 33:octane_fitness 34:archinoetics "
        "35:the_hurt_box 36:citizen_systems 37:magellan 38:osynce 39:holux 40:concept2 "
        "42:one_giant_leap 43:ace_sensor 44:brim_brothers 45:xplova 46:perception_digital "
        "47:bf1systems 48:pioneer 49:spantec 50:metalogics 51:4iiiis 52:seiko_epson "
        "53:seiko_epson_oem 54:ifor_powell 55:maxwell_guider 56:star_trac 57:breakaway "
        "58:alatech_technology_ltd 59:mio_technology_europe 60:rotor 61:geonaute 62:id_bike "
        "63:specialized 64:wtek 65:physical_enterprises 66:north_pole_engineering 67:bkool "
        "68:cateye 69:stages_cycling 70:sigmasport 71:tomtom 72:peripedal 73:wattbike 76:moxy "
        "77:ciclosport 78:powerbahn 79:acorn_projects_aps 80:lifebeam 81:bontrager 82:wellgo "
        "83:scosche 84:magura 85:woodway 86:elite 87:nielsen_kellerman 88:dk_city 89:tacx "
        "90:direction_technology 91:magtonic 92:1partcarbon 93:inside_ride_technologies "
        "94:sound_of_motion 95:stryd 96:icg 97:MiPulse 98:bsx_athletics 99:look "
        "100:campagnolo_srl 101:body_bike_smart 102:praxisworks 103:limits_technology "
        "104:topaction_technology 105:cosinuss 106:fitcare 107:magene 108:giant_manufacturing_co "
        "109:tigrasport 110:salutron 111:technogym 112:bryton_sensors 113:latitude_limited "
        "114:soaring_technology 115:igpsport 116:thinkrider 117:gopher_sport 118:waterrower "
        "119:orangetheory 120:inpeak 121:kinetic 122:johnson_health_tech 123:polar_electro "
        "124:seesense 255:development 257:healthandlife 258:lezyne 259:scribe_labs 260:zwift "
        "261:watteam 262:recon 263:favero_electronics 264:dynovelo 265:strava 266:precor "
        "267:bryton 268:sram 269:navman 270:cobi 271:spivi 272:mio_magellan 273:evesports "
        "274:sensitivus_gauge 275:podoon 276:life_time_fitness 277:falco_e_motors 278:minoura "
        "279:cycliq 280:luxottica 281:trainer_road 282:the_sufferfest 283:fullspeedahead "
        "284:virtualtraining 285:feedbacksports 286:omata 287:vdo 288:magneticdays 289:hammerhead "
        "290:kinetic_by_kurt 291:shapelog 292:dabuziduo 293:jetblack 5759:actigraphcorp "
    ),
    "garmin_product": (
        "1:hrm1 2:axh01 3:axb01 4:axb02 5:hrm2ss 6:dsi_alf02 7:hrm3ss "
        "8:hrm_run_single_byte_product_id 9:bsm 10:bcm 11:axs01 12:hrm_tri_single_byte_product_id "
        "14:fr225_single_byte_product_id 473:fr301_china 474:fr301_japan 475:fr301_korea "
        "494:fr301_taiwan 717:fr405 782:fr50 987:fr405_japan 988:fr60 1011:dsi_alf01 1018:fr310xt "
        "1036:edge500 1124:fr110 1169:edge800 1199:edge500_taiwan 1213:edge500_japan 1253:chirp "
        "1274:fr110_japan 1325:edge200 1328:fr910xt 1333:edge800_taiwan 1334:edge800_japan "
        "1341:alf04 1345:fr610 1360:fr210_japan 1380:vector_ss 1381:vector_cp 1386:edge800_china "
        "1387:edge500_china 1410:fr610_japan 1422:edge500_korea 1436:fr70 1446:fr310xt_4t "
        "1461:amx 1482:fr10 1497:edge800_korea 1499:swim 1537:fr910xt_china 1551:fenix "
        "1555:edge200_taiwan 1561:edge510 1567:edge810 1570:tempe 1600:fr910xt_japan 1623:fr620 "
        "1632:fr220 1664:fr910xt_korea 1688:fr10_japan 1721:edge810_japan 1735:virb_elite "
        "1736:edge_touring 1742:edge510_japan 1743:hrm_tri 1752:hrm_run 1765:fr920xt "
        "1821:edge510_asia 1822:edge810_china 1823:edge810_taiwan 1836:edge1000 1837:vivo_fit "
        "1853:virb_remote 1885:vivo_ki 1903:fr15 1907:vivo_active 1918:edge510_korea "
        "1928:fr620_japan 1929:fr620_china 1930:fr220_japan 1931:fr220_china 1936:approach_s6 "
        "1956:vivo_smart 1967:fenix2 1988:epix 2050:fenix3 2052:edge1000_taiwan "
        "2053:edge1000_japan 2061:fr15_japan 2067:edge520 2070:edge1000_china 2072:fr620_russia "
        "2073:fr220_russia 2079:vector_s 2100:edge1000_korea 2130:fr920xt_taiwan "
        "2131:fr920xt_china 2132:fr920xt_japan 2134:virbx 2135:vivo_smart_apac 2140:etrex_touch "
        "2147:edge25 2148:fr25 2150:vivo_fit2 2153:fr225 2156:fr630 2157:fr230 "
        "2160:vivo_active_apac 2161:vector_2 2162:vector_2s 2172:virbxe 2173:fr620_taiwan "
        "2174:fr220_taiwan 2175:truswing 2188:fenix3_china 2189:fenix3_twn 2192:varia_headlight "
        "2193:varia_taillight_old 2204:edge_explore_1000 2219:fr225_asia "
        "2225:varia_radar_taillight 2226:varia_radar_display 2238:edge20 2262:d2_bravo "
        "2266:approach_s20 2276:varia_remote 2327:hrm4_run 2337:vivo_active_hr "
        "2347:vivo_smart_gps_hr 2348:vivo_smart_hr 2368:vivo_move 2398:varia_vision "
        "2406:vivo_fit3 2413:fenix3_hr 2417:virb_ultra_30 2429:index_smart_scale 2431:fr235 "
        "2432:fenix3_chronos 2441:oregon7xx 2444:rino7xx 2496:nautix 2530:edge_820 "
        "2531:edge_explore_820 2544:fenix5s 2547:d2_bravo_titanium 2567:varia_ut800 "
        "2593:running_dynamics_pod 2604:fenix5x 2606:vivo_fit_jr 2691:fr935 2697:fenix5 "
        "10007:sdm4 10014:edge_remote 20119:training_center 65531:connectiq_simulator "
        "65532:android_antplus_plugin 65534:connect "
    ),
}


@cache
def enum_names(table: str) -> dict[int, str]:
    """The raw value -> name mapping of one FIT enum type (e.g. "sport")."""
    pairs = (item.split(":") for item in _ENUM_TEXT[table].split())
    return {int(raw): name for raw, name in pairs}


# --- CRC-16 (FIT SDK: CRC-16/ARC, reflected polynomial 0xA001, initial value 0) ----------
_CRC_POLY = 0xA001
_CRC_WORDS_PER_CHUNK = 16  # 16-bit words per chunk in the vectorized CRC


def crc16(data: bytes, crc: int = 0) -> int:
    """FIT CRC of ``data``, byte by byte (for short inputs such as the header)."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ _CRC_POLY if crc & 1 else crc >> 1
    return crc


@cache
def _crc_word_table() -> np.ndarray:
    """T[w] = CRC state after feeding the 16-bit little-endian word w to state 0.

    With a 16-bit reflected CRC, feeding word w to state s gives T[s ^ w].
    """
    byte_table = np.arange(256, dtype=np.uint32)  # the FIT SDK's table, one byte at a time
    for _ in range(8):
        byte_table = np.where(byte_table & 1, (byte_table >> 1) ^ _CRC_POLY, byte_table >> 1)
    words = np.arange(1 << 16, dtype=np.uint32)
    state = byte_table[words & 0xFF]  # after the low byte
    state = (state >> 8) ^ byte_table[(state ^ (words >> 8)) & 0xFF]  # after the high byte
    return state.astype(np.uint16)


@cache
def _crc_shift_tables(level: int) -> tuple[np.ndarray, np.ndarray]:
    """Tables applying "feed 2**level chunks of zero bytes" to CRC states.

    The map is linear over GF(2), so map(s) = low[s & 0xFF] ^ high[s >> 8].
    """
    if level == 0:
        images = np.array([1 << bit for bit in range(16)], dtype=np.uint16)
        table = _crc_word_table()
        for _ in range(_CRC_WORDS_PER_CHUNK):
            images = table[images]
    else:
        low, high = _crc_shift_tables(level - 1)
        basis = np.array([1 << bit for bit in range(16)], dtype=np.uint16)
        once = low[basis & 0xFF] ^ high[basis >> 8]
        images = low[once & 0xFF] ^ high[once >> 8]
    byte = np.arange(256, dtype=np.uint16)
    low = np.zeros(256, dtype=np.uint16)
    high = np.zeros(256, dtype=np.uint16)
    for bit in range(8):
        has_bit = (byte >> bit) & 1 == 1
        low[has_bit] ^= images[bit]
        high[has_bit] ^= images[bit + 8]
    return low, high


def crc16_array(data: np.ndarray) -> int:
    """FIT CRC of a uint8 array, vectorized.

    The bytes are cut into chunks whose CRCs are computed side by side; the chunk CRCs are
    then merged pairwise (CRC(a + b) = shift(CRC(a), len(b)) ^ CRC(b)). Zero bytes are
    added in front, which does not change a CRC that starts at 0.
    """
    chunk_bytes = 2 * _CRC_WORDS_PER_CHUNK
    n_chunks = max(1, -(-len(data) // chunk_bytes))
    padded = np.zeros(n_chunks * chunk_bytes, dtype=np.uint8)
    padded[len(padded) - len(data):] = data
    columns = np.ascontiguousarray(padded.view("<u2").reshape(n_chunks, _CRC_WORDS_PER_CHUNK).T)
    table = _crc_word_table()
    state = np.zeros(n_chunks, dtype=np.uint16)
    for words in columns:
        state = table.take(state ^ words)
    level = 0
    while len(state) > 1:
        if len(state) % 2:
            state = np.concatenate((np.zeros(1, dtype=np.uint16), state))
        low, high = _crc_shift_tables(level)
        first = state[0::2]
        state = low[first & 0xFF] ^ high[first >> 8] ^ state[1::2]
        level += 1
    return int(state[0])


# --- Pass 1: walk the message headers ----------------------------------------------------
class _FieldDef(NamedTuple):
    def_num: int
    size: int
    base: _BaseType
    offset: int  # byte offset inside the data message, after its 1-byte header


class _Layout(NamedTuple):
    """What a definition message says (shared by identical definitions)."""

    global_num: int
    big_endian: bool
    fields: tuple[_FieldDef, ...]
    dev_fields: tuple[tuple[int, int], ...]  # (developer data index, field number)
    size: int  # bytes of one data message, header byte excluded
    dev_places: tuple[tuple[int, int], ...] = ()  # (byte offset, size) of each developer field


class _Definition:
    """One definition message and the data messages that used it."""

    __slots__ = (
        "_offsets",
        "big_endian",
        "compressed",
        "dev_fields",
        "fields",
        "global_num",
        "layout",
        "normal",
        "position",
        "section",
        "size",
    )

    def __init__(self, position: int, section: int, layout: _Layout):
        self.position = position  # byte offset of the definition message
        self.section = section  # which of the chained FIT files it belongs to
        self.layout = layout
        self.global_num, self.big_endian, self.fields, self.dev_fields, self.size = layout[:5]
        self.normal = array("q")  # offsets of its normal-header data messages
        self.compressed = array("q")  # offsets of its compressed-header data messages
        self._offsets: np.ndarray | None = None

    def used(self) -> bool:
        return bool(self.normal or self.compressed)

    def offsets(self) -> np.ndarray:
        """Offsets (of the header byte) of all its data messages, in file order."""
        if self._offsets is None:
            offsets = np.frombuffer(self.normal, dtype=np.int64)
            if self.compressed:
                offsets = np.sort(np.concatenate((offsets, np.frombuffer(self.compressed, dtype=np.int64))))
            self._offsets = offsets
        return self._offsets

    def last_field(self, def_num: int) -> int | None:
        """Index in ``fields`` of the last field with this number (fitparse: last one wins)."""
        found = None
        for index, fd in enumerate(self.fields):
            if fd.def_num == def_num:
                found = index
        return found


class _Section(NamedTuple):
    """One FIT file of a (possibly chained) file."""

    start: int  # offset of its header
    crc_position: int  # offset of its 2-byte file CRC


def _error(message: str, source: str, offset: int | None) -> UnreadableFileError:
    return UnreadableFileError(message, source, offset=offset)


def _truncated(missing: int, source: str, offset: int) -> UnreadableFileError:
    return _error(f"truncated FIT file: expected {missing} more bytes", source, offset)


def _read_header(data: bytes, start: int, source: str, check_crc: bool = True) -> tuple[int, int]:
    """Check the file header at ``start``; return (header size, end of the data records)."""
    available = len(data) - start
    if available < MIN_HEADER_SIZE:
        if start == 0 and available == 0:
            raise _error("empty file (0 bytes), not a FIT file", source, 0)
        if start > 0:
            raise _error(f"{available} unexpected bytes after the end of the FIT data", source, start)
        if FIT_MAGIC not in data[start:]:
            raise _error("not a FIT file (bad header)", source, start)
        raise _truncated(MIN_HEADER_SIZE - available, source, len(data))
    if data[start + MAGIC_OFFSET:start + MIN_HEADER_SIZE] != FIT_MAGIC:
        what = "bad header of the chained FIT file that follows" if start else "bad header"
        raise _error(f"not a FIT file ({what})", source, start)
    header_size = data[start]
    data_size = struct.unpack_from("<I", data, start + 4)[0]
    if header_size <= MIN_HEADER_SIZE:  # fitparse also reads a header that claims < 12 bytes
        return MIN_HEADER_SIZE, start + MIN_HEADER_SIZE + data_size
    if header_size < HEADER_CRC_OFFSET + CRC_SIZE:
        raise _error(f"not a FIT file (bad header size {header_size})", source, start)
    if available < header_size:
        raise _truncated(header_size - available, source, len(data))
    if check_crc:
        stored = struct.unpack_from("<H", data, start + HEADER_CRC_OFFSET)[0]
        if stored and stored != crc16(data[start:start + HEADER_CRC_OFFSET]):
            raise _error("FIT header CRC mismatch", source, start + HEADER_CRC_OFFSET)
    return header_size, start + header_size + data_size


def _read_definition(
    data: bytes, pos: int, section: int, source: str, layouts: dict[bytes, _Layout]
) -> tuple[_Definition, int]:
    """Parse the definition message at ``pos``; return it and the offset after it.

    ``layouts`` caches parsed layouts by their bytes: some devices repeat the same
    definitions hundreds of times.
    """
    header = data[pos]
    end = pos + DEFINITION_FIXED_SIZE
    if end > len(data):
        raise _truncated(end - len(data), source, len(data))
    fields_end = end + FIELD_DEFINITION_SIZE * data[end - 1]
    dev_end = fields_end
    if header & DEVELOPER_DATA_FLAG:
        dev_end = fields_end + 1
        if dev_end <= len(data):
            dev_end += FIELD_DEFINITION_SIZE * data[fields_end]
    if dev_end > len(data):
        raise _truncated(dev_end - len(data), source, len(data))
    key = data[pos + 1:dev_end]  # lengths tell definitions with developer fields apart
    layout = layouts.get(key)
    if layout is None:
        layout = layouts[key] = _parse_layout(data, pos, end, fields_end, dev_end)
    return _Definition(pos, section, layout), dev_end


def _parse_layout(data: bytes, pos: int, end: int, fields_end: int, dev_end: int) -> _Layout:
    big_endian = data[pos + 2] != 0  # fitparse: any non-zero architecture is big-endian
    global_num = struct.unpack_from(">H" if big_endian else "<H", data, pos + 3)[0]
    fields = []
    offset = 0
    for p in range(end, fields_end, FIELD_DEFINITION_SIZE):
        def_num, size, base_num = data[p], data[p + 1], data[p + 2]
        base = BASE_TYPES.get(base_num, _BYTE)
        if size % base.size:  # misaligned size: read as bytes, as fitdecode does
            base = _BYTE
        fields.append(_FieldDef(def_num, size, base, offset))
        offset += size
    dev_fields, dev_places = [], []
    for p in range(fields_end + 1, dev_end, FIELD_DEFINITION_SIZE):
        def_num, size, dev_index = data[p], data[p + 1], data[p + 2]
        dev_fields.append((dev_index, def_num))
        dev_places.append((offset, size))
        offset += size
    return _Layout(global_num, big_endian, tuple(fields), tuple(dev_fields), offset, tuple(dev_places))


# Header bytes of the data messages of each local type: normal headers (bits 4-5 are
# reserved) and the first compressed-timestamp header (32 follow, one per time offset).
_NORMAL_HEADERS = tuple(tuple(local | reserved for reserved in (0x00, 0x10, 0x20, 0x30)) for local in range(16))
_FIRST_COMPRESSED_HEADER = tuple(
    COMPRESSED_HEADER_FLAG | (local << COMPRESSED_LOCAL_SHIFT) if local <= COMPRESSED_LOCAL_MASK else None
    for local in range(16)
)


def _walk_section(
    data: bytes, start: int, section: int, definitions: list[_Definition], source: str,
    layouts: dict[bytes, _Layout],
) -> _Section:
    """Pass 1 over one FIT file: record where every data message is, per definition.

    Corruption is reported where it is met, so a file cut short shows its first problem.
    """
    header_size, data_end = _read_header(data, start, source)
    # Per header byte: the array.append collecting its messages, and the message length.
    collect: list[Any] = [None] * 256
    length = [0] * 256
    pos = start + header_size
    end = min(data_end, len(data))
    while pos < end:
        header = data[pos]
        add = collect[header]
        if add is not None:  # a data message: the hot path
            add(pos)
            pos += length[header]
            continue
        if header & (COMPRESSED_HEADER_FLAG | DEFINITION_FLAG) != DEFINITION_FLAG:
            local = (
                (header >> COMPRESSED_LOCAL_SHIFT) & COMPRESSED_LOCAL_MASK
                if header & COMPRESSED_HEADER_FLAG
                else header & NORMAL_LOCAL_MASK
            )
            raise _error(
                f"corrupt FIT file: data message uses local message type {local}, "
                "which was never defined", source, pos,
            )
        definition, pos = _read_definition(data, pos, section, source, layouts)
        definitions.append(definition)
        local = header & NORMAL_LOCAL_MASK
        for byte in _NORMAL_HEADERS[local]:
            collect[byte] = definition.normal.append
            length[byte] = 1 + definition.size
        first = _FIRST_COMPRESSED_HEADER[local]
        if first is not None:
            last = first + COMPRESSED_TIME_MASK + 1
            collect[first:last] = [definition.compressed.append] * (last - first)
            length[first:last] = [1 + definition.size] * (last - first)
    crc_position = max(pos, data_end)  # as fitparse: a message may overrun the data size
    if crc_position + CRC_SIZE > len(data):
        raise _truncated(crc_position + CRC_SIZE - len(data), source, len(data))
    return _Section(start, crc_position)


def _check_crc(data: bytes, buf: np.ndarray, section: _Section, source: str) -> None:
    stored = struct.unpack_from("<H", data, section.crc_position)[0]
    computed = crc16_array(buf[section.start:section.crc_position])
    if stored != computed:
        raise _error(
            f"FIT file CRC mismatch (stored 0x{stored:04X}, computed 0x{computed:04X})",
            source, section.crc_position,
        )


# --- Vectorized field access --------------------------------------------------------------
class _Columns:
    """Reads one field of many messages at once from the file bytes."""

    def __init__(self, data: bytes):
        self.data = data
        self.buf = np.frombuffer(data, dtype=np.uint8)
        self._windows: dict[int, np.ndarray] = {}
        self._typed: dict[str, np.ndarray] = {}

    def raw_bytes(self, starts: np.ndarray, width: int) -> np.ndarray:
        """(len(starts), width) uint8: ``width`` bytes from each start offset."""
        window = self._windows.get(width)
        if window is None:
            window = np.lib.stride_tricks.sliding_window_view(self.buf, width)
            self._windows[width] = window
        return window[starts]

    def numbers(self, starts: np.ndarray, fd: _FieldDef, big_endian: bool) -> np.ndarray:
        """One numeric value per message (the field must hold exactly one value)."""
        code = (">" if big_endian else "<") + fd.base.code
        if fd.size == 1:
            return self.buf[starts].view(code)
        typed = self._typed.get(code)
        if typed is None:  # a value starting at every byte: overlapping, unaligned view
            count = len(self.buf) - fd.size + 1
            typed = np.ndarray((max(count, 0),), dtype=code, buffer=self.data, strides=(1,))
            self._typed[code] = typed
        return typed[starts]

    def little_endian_bytes(self, starts: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """A byte-array field as a little-endian integer (first 8 bytes) and its validity.

        fitparse reads a byte array as invalid when all its bytes are 0xFF.
        """
        raw = self.raw_bytes(starts, size)
        valid = (raw != 0xFF).any(axis=1)
        value = np.zeros(len(starts), dtype=np.uint64)
        for index in range(min(size, 8)):
            value |= raw[:, index].astype(np.uint64) << np.uint64(8 * index)
        return value, valid


def _invalid_mask(raw: np.ndarray, base: _BaseType) -> np.ndarray:
    if base.invalid == _NAN:
        return np.isnan(raw)
    return raw == base.invalid


def _scaled(values: np.ndarray, scale: float | None, offset: float | None) -> np.ndarray:
    """fitparse's scale/offset: value / scale - offset (in place, float64)."""
    if scale:
        values /= scale
    if offset:
        values -= offset
    return values


def _unwrap(keys: np.ndarray, is_set: np.ndarray, values: np.ndarray, bits: int) -> np.ndarray:
    """Resolve a stream of rolling counters, in the order of ``keys``.

    Each event either sets the accumulator to ``values`` (``is_set``) or gives only its low
    ``bits`` bits, which add to it (FIT compressed timestamps, accumulated fields):
    new = old + ((low - old) mod 2**bits). The first event (in key order) must be a set.
    Returns the accumulator after each event, in the input order.
    """
    order = np.argsort(keys, kind="stable")
    sets = is_set[order]
    vals = values[order].astype(np.int64)
    mask = (1 << bits) - 1
    low = np.where(sets, vals & mask, vals)
    previous_low = np.concatenate(([0], low[:-1]))
    delta = np.where(sets, 0, (vals - previous_low) & mask)
    total = np.cumsum(delta)
    segment = np.cumsum(sets) - 1
    set_at = np.flatnonzero(sets)
    resolved = vals[set_at][segment] + total - total[set_at][segment]
    result = np.empty_like(resolved)
    result[order] = resolved
    return result


class _RollingCounter:
    """Events of one rolling counter (see ``_unwrap``), gathered in any order.

    It starts with the counter set to 0 at ``start_key`` (the FIT file header).
    """

    def __init__(self, start_key: int):
        self.keys = [np.array([start_key], dtype=np.int64)]
        self.sets = [np.array([True])]
        self.values = [np.zeros(1, dtype=np.int64)]
        self.size = 1

    def add(self, keys: np.ndarray, is_set: bool, values: np.ndarray) -> int:
        """Add events; return the index of the first one in the resolved result."""
        self.keys.append(keys)
        self.sets.append(np.full(len(keys), is_set))
        self.values.append(values.astype(np.int64))
        self.size += len(keys)
        return self.size - len(keys)

    def resolve(self, bits: int) -> np.ndarray:
        return _unwrap(np.concatenate(self.keys), np.concatenate(self.sets), np.concatenate(self.values), bits)


def _single_integer(fd: _FieldDef) -> bool:
    return fd.size == fd.base.size and fd.base.code[:1] in ("u", "i")


def _refuse(message: str, source: str, offset: int) -> FitDecodeRefused:
    return FitDecodeRefused(message, source, offset=offset)


class _Resolved:
    """Compressed timestamps and accumulated record distances, per definition."""

    def __init__(self) -> None:
        self.timestamps: dict[int, np.ndarray] = {}  # id(definition) -> per message (-1: none)
        self.distances: dict[int, np.ndarray] = {}  # id(definition) -> per message raw counter


def _resolve_timestamps(
    section: _Section, definitions: list[_Definition], cols: _Columns, resolved: _Resolved, source: str
) -> None:
    """Timestamps of compressed-header messages in one section (fitparse's rules).

    The accumulator starts at 0, is set by every valid `timestamp` field (any message) and
    advanced by the 5-bit time offset of every compressed header.
    """
    if not any(d.compressed for d in definitions):
        return
    # Keys order the events: a message's own timestamp field (2 * offset) comes before the
    # time offset of its compressed header (2 * offset + 1).
    counter, owners = _RollingCounter(2 * section.start), []
    for d in definitions:
        offsets = d.offsets()
        if len(offsets) == 0:
            continue
        index = d.last_field(TIMESTAMP_FIELD)
        if index is not None:
            fd = d.fields[index]
            if not _single_integer(fd):
                raise _refuse("compressed timestamps with a non-integer timestamp field", source, d.position)
            raw = cols.numbers(offsets + 1 + fd.offset, fd, d.big_endian)
            valid = ~_invalid_mask(raw, fd.base)
            counter.add(2 * offsets[valid], True, raw[valid])
        if d.compressed:
            comp = np.frombuffer(d.compressed, dtype=np.int64)
            first = counter.add(2 * comp + 1, False, cols.buf[comp] & COMPRESSED_TIME_MASK)
            owners.append((d, offsets, comp, first))
    result = counter.resolve(COMPRESSED_TIME_BITS)
    for d, offsets, comp, first in owners:
        per_message = np.full(len(offsets), -1, dtype=np.int64)
        per_message[np.searchsorted(offsets, comp)] = result[first:first + len(comp)]
        resolved.timestamps[id(d)] = per_message


def _distance_component(d: _Definition) -> tuple[int, _Component] | None:
    """The compressed_speed_distance field and its accumulated distance, if applicable."""
    index = d.last_field(8)
    if index is None:
        return None
    component = RECORD_PROFILE[8].components[1]
    if not _component_applies(d.fields[index], component):
        return None
    return index, component


def _resolve_distances(
    section: _Section, definitions: list[_Definition], cols: _Columns, resolved: _Resolved, source: str
) -> None:
    """Accumulated distance of compressed_speed_distance records in one section.

    The accumulator restarts at 0 at the file header and at every record definition that
    holds the field; invalid values do not move it.
    """
    users = [d for d in definitions if d.global_num == RECORD and _distance_component(d)]
    if not users:
        return
    counter, owners = _RollingCounter(2 * section.start), []
    for d in users:
        index, component = _distance_component(d)
        counter.add(np.array([2 * d.position]), True, np.zeros(1))  # a definition restarts it
        offsets = d.offsets()
        fd = d.fields[index]
        raw, valid = _component_raw(cols, offsets + 1 + fd.offset, fd, d.big_endian, component, source, d.position)
        first = counter.add(2 * offsets[valid] + 1, False, raw[valid])
        owners.append((d, valid, first))
    result = counter.resolve(component.bits)
    for d, valid, first in owners:
        per_message = np.zeros(len(valid), dtype=np.int64)
        per_message[valid] = result[first:first + int(valid.sum())]
        resolved.distances[id(d)] = per_message


# --- Records ------------------------------------------------------------------------------
def _component_applies(fd: _FieldDef, component: _Component) -> bool:
    """fitparse skips a component whose bits start past the end of a byte array."""
    if fd.size == 0:  # fitparse cannot read a zero-size field; here it is just invalid
        return False
    if fd.base is _BYTE:
        return not (component.bit_offset and component.bit_offset >= 8 * fd.size)
    return True


def _component_raw(
    cols: _Columns, starts: np.ndarray, fd: _FieldDef, big_endian: bool, component: _Component,
    source: str, position: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Raw component bits (int64) of a field at ``starts``, and where the field is valid."""
    mask = (1 << component.bits) - 1
    if fd.base is _BYTE:
        value, valid = cols.little_endian_bytes(starts, fd.size)
        return ((value >> np.uint64(component.bit_offset)) & np.uint64(mask)).astype(np.int64), valid
    if not _single_integer(fd):
        raise _refuse(f"record field {fd.def_num} has components but is not a single integer", source, position)
    raw = cols.numbers(starts, fd, big_endian)
    valid = ~_invalid_mask(raw, fd.base)
    return (raw.astype(np.int64) >> component.bit_offset) & mask, valid


class _Writer(NamedTuple):
    """A field of a record definition that gives a value to some name."""

    index: int  # in the layout's fields
    component: _Component | None  # None: the field's own value


def _record_writers(layout: _Layout) -> dict[str, tuple[_Writer, ...]]:
    """For each record field name, the fields (or components) that give it a value.

    In fitparse's order: per field in definition order, its components, then the field
    itself. fitref keeps the first value that is not None (see ``_chain``).
    """
    writers: dict[str, list[_Writer]] = {}
    for index, fd in enumerate(layout.fields):
        profile = RECORD_PROFILE.get(fd.def_num)
        if profile is None:
            continue
        for component in profile.components:
            if _component_applies(fd, component) and component.name in RECORD_FIELDS:
                writers.setdefault(component.name, []).append(_Writer(index, component))
        if profile.name in RECORD_FIELDS:
            writers.setdefault(profile.name, []).append(_Writer(index, None))
    return {name: tuple(chain) for name, chain in writers.items()}


class _Block(NamedTuple):
    """Record definitions sharing one layout, their messages in one run of rows."""

    layout: _Layout
    writers: dict[str, tuple[_Writer, ...]]
    definitions: list[_Definition]
    offsets: np.ndarray  # offsets of its messages, definition after definition
    first_row: int  # row of its first message in the concatenated order

    def rows(self) -> np.ndarray:
        return np.arange(self.first_row, self.first_row + len(self.offsets))


def _record_blocks(definitions: list[_Definition]) -> list[_Block]:
    by_layout: dict[int, list[_Definition]] = {}
    for d in definitions:
        if d.global_num == RECORD and d.used():
            by_layout.setdefault(id(d.layout), []).append(d)
    blocks, row = [], 0
    for group in by_layout.values():
        offsets = np.concatenate([d.offsets() for d in group]) if len(group) > 1 else group[0].offsets()
        blocks.append(_Block(group[0].layout, _record_writers(group[0].layout), group, offsets, row))
        row += len(offsets)
    return blocks


def _per_message(blocks: list[_Block], found: dict[int, np.ndarray], missing: int) -> np.ndarray:
    """Per-definition resolved values of blocks, in row order (``missing`` where none)."""
    return np.concatenate([
        found.get(id(d), np.full(len(d.offsets()), missing, dtype=np.int64))
        for block in blocks for d in block.definitions
    ])


def _writer_values(
    cols: _Columns, fd: _FieldDef, component: _Component | None, big_endian: bool,
    starts: np.ndarray, accumulated: np.ndarray | None, source: str, position: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values, present) of one record field or component at the given offsets.

    "present" is where fitparse's value is not None; values are NaN where fitref would not
    get a number (invalid, or a byte array / string / array of values).
    """
    n = len(starts)
    if component is not None:
        raw, present = _component_raw(cols, starts, fd, big_endian, component, source, position)
        values = (raw if accumulated is None else accumulated).astype(np.float64)
        values[~present] = np.nan
        return _scaled(values, component.scale, component.offset), present
    if fd.size == 0:  # fitparse cannot read it; here it is absent
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    if fd.base is _BYTE:  # a byte array is None when all its bytes are 0xFF
        return np.full(n, np.nan), (cols.raw_bytes(starts, fd.size) != 0xFF).any(axis=1)
    if fd.base is _STRING:  # an empty string is None
        return np.full(n, np.nan), cols.buf[starts] != 0
    if fd.size != fd.base.size:  # an array of values: a tuple, never None
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    raw = cols.numbers(starts, fd, big_endian)
    values = raw.astype(np.float64)
    invalid = _invalid_mask(raw, fd.base)
    values[invalid] = np.nan
    profile = RECORD_PROFILE[fd.def_num]
    return _scaled(values, profile.scale, profile.offset), ~invalid


def _chain(
    blocks: list[_Block], name: str, cols: _Columns, resolved: _Resolved, source: str
) -> tuple[np.ndarray, np.ndarray]:
    """(values, present) of one name for blocks with the same writers, in their row order.

    fitref keeps, per message, the first value of the name that is not None.
    """
    values = present = None
    layout = blocks[0].layout
    position = blocks[0].definitions[0].position  # for error messages
    for rank, writer in enumerate(blocks[0].writers[name]):
        fd = layout.fields[writer.index]
        field_offsets = [b.layout.fields[b.writers[name][rank].index].offset for b in blocks]
        starts = np.concatenate([b.offsets + (1 + offset) for b, offset in zip(blocks, field_offsets)])
        accumulated = None
        if writer.component is not None and writer.component.accumulate:
            accumulated = _per_message(blocks, resolved.distances, 0)
        these, found = _writer_values(
            cols, fd, writer.component, layout.big_endian, starts, accumulated, source, position
        )
        if values is None:
            values, present = these, found
        else:
            take = found & ~present
            values[take] = these[take]
            present |= found
    return values, present


def _recipe(block: _Block, name: str) -> tuple | None:
    """What decides how a name is read in a block: blocks with the same recipe share one pass."""
    chain = block.writers.get(name)
    if not chain:
        return None
    fields = block.layout.fields
    return block.layout.big_endian, tuple(
        (fields[w.index].def_num, fields[w.index].size, fields[w.index].base, w.component) for w in chain
    )


def _records(definitions: list[_Definition], cols: _Columns, resolved: _Resolved, source: str) -> dict[str, np.ndarray]:
    """All record messages, in file order, as RECORD_FIELDS columns."""
    blocks = _record_blocks(definitions)
    offsets = np.concatenate([block.offsets for block in blocks] or [np.zeros(0, np.int64)])
    n = len(offsets)
    records = {}
    for name in RECORD_FIELDS:
        recipes: dict[tuple, list[_Block]] = {}
        for block in blocks:
            recipe = _recipe(block, name)
            if recipe is not None:
                recipes.setdefault(recipe, []).append(block)
        column, present = np.full(n, np.nan), np.zeros(n, dtype=bool)
        for group in recipes.values():
            values, found = _chain(group, name, cols, resolved, source)
            if len(group) == len(blocks):  # the only recipe: every row, in row order
                column, present = values, found
            else:
                rows = np.concatenate([block.rows() for block in group])
                column[rows], present[rows] = values, found
        if name == "timestamp" and any(id(d) in resolved.timestamps for d in definitions):
            # fitparse adds a compressed header's timestamp after the message's own fields
            compressed = _per_message(blocks, resolved.timestamps, -1)
            take = (compressed >= 0) & ~present
            column[take] = compressed[take]
        records[name] = column
    if len(blocks) > 1:
        order = np.argsort(offsets, kind="stable")
        records = {name: column[order] for name, column in records.items()}
    return records


# --- Other messages, one by one with fitparse's rules -------------------------------------
def _parse_string(raw: bytes) -> str | None:
    end = raw.find(b"\x00")
    text = (raw if end < 0 else raw[:end]).decode("utf-8", errors="replace")
    return text or None


def _is_invalid(value: Any, base: _BaseType) -> bool:
    if base.invalid == _NAN:
        return value != value
    return value == base.invalid


def _raw_value(items: tuple, base: _BaseType) -> Any:
    """fitparse's raw value of one field from its unpacked items (None when invalid)."""
    if base is _STRING:
        return _parse_string(items[0])
    if base is _BYTE:
        return None if all(b == 0xFF for b in items) else items
    if len(items) == 1:
        return None if _is_invalid(items[0], base) else items[0]
    if not items:
        return None
    return tuple(None if _is_invalid(v, base) else v for v in items)


def _apply_scale(value: Any, scale: float | None, offset: float | None) -> Any:
    if isinstance(value, tuple):
        return tuple(_apply_scale(v, scale, offset) for v in value)
    if isinstance(value, (int, float)):
        if scale:
            value = float(value) / scale
        if offset:
            value = value - offset
    return value


def _render(value: Any, enum: str | None) -> Any:
    if enum is not None and isinstance(value, int):
        return enum_names(enum).get(value, value)
    return value


def _as_time(value: Any, kind: str | None) -> Any:
    """fitparse's date_time / local_date_time processing (naive UTC datetimes)."""
    if kind is None or not isinstance(value, int):
        return value
    if kind == UTC_TIME and value < _DEVICE_RELATIVE_MAX:
        return value
    return _NAIVE_EPOCH + timedelta(seconds=value)


def _component_value(raw: Any, component: _Component) -> Any:
    """fitparse's ComponentField.render; raises ValueError when the bits are out of range."""
    if raw is None:
        return None
    if isinstance(raw, tuple):
        if component.bit_offset and component.bit_offset >= len(raw) * 8:
            raise ValueError(component.name)
        if all(isinstance(b, int) for b in raw):
            raw = int.from_bytes(bytes(raw), "little")
    if isinstance(raw, int):
        raw = (raw >> component.bit_offset) & ((1 << component.bits) - 1)
    return raw


class _MessageReader:
    """Decodes the messages of one definition one by one, with fitparse's rules."""

    def __init__(self, d: _Definition, profile: dict[int, _Field], wanted: tuple[str, ...]):
        self.profile = profile
        self.wanted = wanted
        # (field index, profile) of the fields that give a wanted name, in definition order
        self.plan = [(i, profile[fd.def_num]) for i, fd in enumerate(d.fields) if fd.def_num in profile]
        # field indices by number, for the reference fields that choose sub-fields
        self.by_num: dict[int, list[int]] = {}
        for i, fd in enumerate(d.fields):
            self.by_num.setdefault(fd.def_num, []).append(i)
        referenced = {
            ref_num
            for _, prof in self.plan
            for target in (prof, *(profile[c.def_num] for c in prof.components))
            for sub in target.subfields
            for ref_num, _ in sub.refs
        }
        needed = sorted({i for i, _ in self.plan} | {i for n in referenced for i in self.by_num.get(n, ())})
        # one struct reading the needed fields only: (field index, item count, base) each
        parts, self.items = [">" if d.big_endian else "<"], []
        position = 0
        for i in needed:
            fd = d.fields[i]
            count = 1 if fd.base is _STRING else fd.size // fd.base.size
            parts.append(f"{fd.offset - position}x" if fd.offset > position else "")
            parts.append(f"{fd.size}s" if fd.base is _STRING else f"{count}{fd.base.fmt}")
            self.items.append((i, count, fd.base))
            position = fd.offset + fd.size
        self.layout = struct.Struct("".join(parts))

    def _name(self, prof: _Field, raws: dict[int, Any]) -> tuple[str | None, str | None]:
        """(name, enum) a field is read under, given the other fields (its sub-field)."""
        for sub in prof.subfields:
            for ref_num, ref_value in sub.refs:
                for index in self.by_num.get(ref_num, ()):
                    if raws[index] == ref_value:
                        return sub.name, sub.enum
        return prof.name, prof.enum

    def read(self, data: bytes, pos: int, timestamp: int = -1) -> dict[str, Any]:
        """The message at ``pos`` as fitref gives it: the last valid value of each name."""
        flat = self.layout.unpack_from(data, pos + 1)
        raws: dict[int, Any] = {}
        item = 0
        for index, count, base in self.items:
            raws[index] = _raw_value(flat[item:item + count], base)
            item += count
        wanted = self.wanted
        out: dict[str, Any] = {}
        for index, prof in self.plan:
            raw = raws[index]
            for component in prof.components:  # fitparse lists components before the field
                try:
                    value = _component_value(raw, component)
                except ValueError:
                    continue
                target = self.profile[component.def_num]
                name, enum = self._name(target, raws)
                value = _render(_apply_scale(value, component.scale, component.offset), enum)
                if name in wanted and value is not None:
                    out[name] = _as_time(value, target.time)
            name, enum = self._name(prof, raws) if prof.subfields else (prof.name, prof.enum)
            if name not in wanted or raw is None:
                continue
            value = _apply_scale(_render(raw, enum), prof.scale, prof.offset)
            out[name] = _as_time(value, prof.time)
        if timestamp >= 0 and "timestamp" in wanted:  # a compressed-header timestamp comes last
            out["timestamp"] = _as_time(timestamp, UTC_TIME)
        return out


def _messages(
    data: bytes, definitions: list[_Definition], global_num: int, wanted: tuple[str, ...], resolved: _Resolved
) -> list[tuple[int, dict[str, Any]]]:
    """(offset, dict) of every message of one global type, in file order."""
    profile = MESSAGE_PROFILE[global_num][1]
    found = []
    readers: dict[int, _MessageReader] = {}  # by layout
    for d in definitions:
        if d.global_num != global_num or not d.used():
            continue
        reader = readers.get(id(d.layout))
        if reader is None:
            reader = readers[id(d.layout)] = _MessageReader(d, profile, wanted)
        offsets = d.offsets().tolist()
        stamps = resolved.timestamps.get(id(d))
        stamps = stamps.tolist() if stamps is not None else [-1] * len(offsets)
        found += [(pos, reader.read(data, pos, stamp)) for pos, stamp in zip(offsets, stamps)]
    found.sort(key=lambda item: item[0])
    return found


class _DevField(NamedTuple):
    """A described developer field: its name and base type name (from field_description)."""

    name: str
    base: str | None


def _developer_fields(
    data: bytes, definitions: list[_Definition], resolved: _Resolved
) -> list[tuple[_Definition, tuple[_DevField | None, ...]]]:
    """Each record definition with developer fields, and what each of them is (None: undescribed).

    A developer field is described by the field_description message seen before the
    definition that uses it; a developer_data_id message forgets its index's fields.
    """
    if not any(d.dev_fields for d in definitions):
        return []
    events: list[tuple[int, str, Any]] = []
    for num, kind in ((DEVELOPER_DATA_ID, "id"), (FIELD_DESCRIPTION, "field")):
        wanted = tuple(MESSAGE_PROFILE[num][1][k].name for k in MESSAGE_PROFILE[num][1])
        events += [(pos, kind, msg) for pos, msg in _messages(data, definitions, num, wanted, resolved)]
    events += [
        (d.position, "use", d) for d in definitions
        if d.global_num == RECORD and d.dev_fields and d.used()
    ]
    events.sort(key=lambda event: event[0])
    described: dict[int, dict[int, _DevField]] = {}
    uses = []
    for _, kind, item in events:
        if kind == "id":
            described[item.get("developer_data_index")] = {}
        elif kind == "field":
            number = item.get("field_definition_number")
            fields = described.get(item.get("developer_data_index"))
            if fields is not None:
                name = item.get("field_name") or f"unnamed_dev_field_{number}"
                fields[number] = _DevField(name, item.get("fit_base_type_id"))
        else:
            uses.append((item, tuple(described.get(dev_index, {}).get(number) for dev_index, number in item.dev_fields)))
    return uses


def _developer_field_names(uses: list[tuple[_Definition, tuple[_DevField | None, ...]]]) -> set[str]:
    """Names of the developer fields used by record messages (as fitref collects them)."""
    return {field.name for _, described in uses for field in described if field is not None}


BASE_TYPES_BY_NAME = {base.name: base for base in BASE_TYPES.values()}


def _developer_records(
    uses: list[tuple[_Definition, tuple[_DevField | None, ...]]], definitions: list[_Definition], cols: _Columns
) -> dict[str, np.ndarray]:
    """The air developer fields of the records (``is_air_developer_field``), aligned with the
    record columns (file order), raw values as fitparse gives them (NaN: absent or invalid)."""
    wanted = [(d, i, f) for d, described in uses for i, f in enumerate(described)
              if f is not None and is_air_developer_field(f.name)]
    if not wanted:
        return {}
    offsets = np.sort(np.concatenate([d.offsets() for d in definitions if d.global_num == RECORD and d.used()]))
    out: dict[str, np.ndarray] = {}
    for d, index, field in wanted:
        column = out.setdefault(field.name, np.full(len(offsets), np.nan))
        base = BASE_TYPES_BY_NAME.get(field.base or "")
        offset, size = d.layout.dev_places[index]
        if base is None or base.code == "" or size != base.size:  # strings, bytes, arrays: no number
            continue
        rows = np.searchsorted(offsets, d.offsets())
        raw = cols.numbers(d.offsets() + 1 + offset, _FieldDef(0, size, base, offset), d.big_endian)
        values = raw.astype(np.float64)
        values[_invalid_mask(raw, base)] = np.nan
        fresh = np.isnan(column[rows])  # a name used twice in one message: the first value wins
        column[rows[fresh]] = values[fresh]
    return out


# --- Public API ---------------------------------------------------------------------------
def _sections(data: bytes, buf: np.ndarray, source: str) -> tuple[list[_Section], list[_Definition]]:
    """Walk and CRC-check every FIT file of a (possibly chained) file."""
    sections: list[_Section] = []
    definitions: list[_Definition] = []
    layouts: dict[bytes, _Layout] = {}
    pos = 0
    while pos < len(data) or not sections:
        section = _walk_section(data, pos, len(sections), definitions, source, layouts)
        _check_crc(data, buf, section, source)
        sections.append(section)
        pos = section.crc_position + CRC_SIZE
    return sections, definitions


def decode(data: bytes, source: str = "") -> FitMessages:
    """Decode a whole FIT file (chained files included) into FitMessages.

    Gives exactly what ``fitref.decode`` (fitparse) gives for ``RECORD_FIELDS`` and
    ``MESSAGE_FIELDS``. Raises UnreadableFileError for empty, non-FIT, truncated or corrupt
    input (bad CRC), and FitDecodeRefused for FIT features it does not handle.
    """
    data = bytes(data)
    cols = _Columns(data)
    sections, definitions = _sections(data, cols.buf, source)
    resolved = _Resolved()
    for index, section in enumerate(sections):
        in_section = [d for d in definitions if d.section == index]
        _resolve_timestamps(section, in_section, cols, resolved, source)
        _resolve_distances(section, in_section, cols, resolved, source)
    messages = {}
    global_nums = {name: num for num, (name, _) in MESSAGE_PROFILE.items()}
    for name, wanted in MESSAGE_FIELDS.items():
        found = _messages(data, definitions, global_nums[name], wanted, resolved)
        messages[name] = [message for _, message in found]
    uses = _developer_fields(data, definitions, resolved)
    return FitMessages(
        records=_records(definitions, cols, resolved, source),
        messages=messages,
        developer_fields=_developer_field_names(uses),
        developer_records=_developer_records(uses, definitions, cols),
        decoder=DECODER_NAME,
    )


def peek_file_type(data: bytes, source: str = "") -> str | None:
    """The ``file_id.type`` name ("activity", "monitoring_b", "settings"...) of a FIT file.

    Reads the header and the first messages only, up to the first file_id message, so
    ``data`` may be just the start of the file. No CRC check. Returns None when there is no
    file_id type; an unknown type number comes back as its decimal string. Raises
    UnreadableFileError for non-FIT bytes or when the bytes end before the file_id.
    """
    data = bytes(data)
    header_size, data_end = _read_header(data, 0, source, check_crc=False)
    local: dict[int, _Definition] = {}
    pos = header_size
    while pos < data_end:
        if pos >= len(data):
            raise _truncated(1, source, len(data))
        header = data[pos]
        if header & (COMPRESSED_HEADER_FLAG | DEFINITION_FLAG) == DEFINITION_FLAG:
            definition, pos = _read_definition(data, pos, 0, source, {})
            local[header & NORMAL_LOCAL_MASK] = definition
            continue
        number = (
            (header >> COMPRESSED_LOCAL_SHIFT) & COMPRESSED_LOCAL_MASK
            if header & COMPRESSED_HEADER_FLAG
            else header & NORMAL_LOCAL_MASK
        )
        definition = local.get(number)
        if definition is None:
            raise _error(f"corrupt FIT file: local message type {number} was never defined", source, pos)
        if pos + 1 + definition.size > len(data):
            raise _truncated(pos + 1 + definition.size - len(data), source, len(data))
        if definition.global_num == FILE_ID:
            message = _MessageReader(definition, MESSAGE_PROFILE[FILE_ID][1], ("type",)).read(data, pos)
            file_type = message.get("type")
            return None if file_type is None else str(file_type)
        pos += 1 + definition.size
    return None
