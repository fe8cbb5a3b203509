"""skills: ctx's services as Agent Skills (SKILL.md folders with scripts), any MCP server as one, and checks of any Skill."""

from __future__ import annotations

from .export import agent_skills, service_skill
from .folder import Problem, check_skill, write_skill
from .from_mcp import McpEndpoint, McpPrompt, McpResource, McpServer, McpServerError, McpTool, mcp_skill, read_mcp_server
from .model import Skill, SkillError, normalize_name

__all__ = [
    "McpEndpoint",
    "McpPrompt",
    "McpResource",
    "McpServer",
    "McpServerError",
    "McpTool",
    "Problem",
    "Skill",
    "SkillError",
    "agent_skills",
    "check_skill",
    "mcp_skill",
    "normalize_name",
    "read_mcp_server",
    "service_skill",
    "write_skill",
]
