"""OpenAPI post-processing: every operation documents the errors the base
viewsets answer with, so that clients (and Schemathesis) know them:
400 bad input, 401 not signed in, 403 not allowed, 404 out of scope or
unknown, 412/428 for a stale or missing If-Match."""

ERROR = {
    "type": "object",
    "description": "错误信息:detail,或按字段列出的中文提示",
    "additionalProperties": True,
}
MESSAGES = {
    "400": "输入有误(按字段列出原因)",
    "401": "未登录或令牌无效、已过期、已撤销",
    "403": "无权执行该操作",
    "404": "不存在或不在您的数据范围内",
    "412": "记录已被他人修改(If-Match 与当前 ETag 不符)",
    "428": "缺少 If-Match 请求头",
}


def _response(code: str) -> dict:
    return {
        "description": MESSAGES[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "403", "404"]
            if operation.get("security") != [{}] and "security" in operation:
                codes.append("401")
            params = operation.get("parameters", [])
            if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in params):
                codes += ["412", "428"]
            for code in codes:
                operation["responses"].setdefault(code, _response(code))
    return result
