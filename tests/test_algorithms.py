import torch

from audiorouter.agent.routers.learned import policy_network
from audiorouter.training.algorithms import (clipped_policy_loss, group_advantages, log_prob,
                                             sample_routes, tool_distribution)


def test_group_advantages_centre_each_group_on_its_own_mean():
    rewards = torch.tensor([1.0, 0.0, 5.0, 5.0, 2.0])
    groups = torch.tensor([0, 0, 1, 1, 2])
    plain = group_advantages(rewards, groups, scale_by_std=False)
    assert torch.allclose(plain, torch.tensor([0.5, -0.5, 0.0, 0.0, 0.0]))
    scaled = group_advantages(rewards, groups)
    assert scaled[0] > 0.7 and scaled[1] < -0.7 and torch.all(scaled[2:] == 0)


def test_each_tool_has_its_own_coin():
    logits = torch.tensor([[0.0, 2.0, -1.0]])
    actions = torch.tensor([[1.0, 1.0, 0.0]])
    expected = torch.log(torch.tensor([[0.5, torch.sigmoid(torch.tensor(2.0)), 1 - torch.sigmoid(torch.tensor(-1.0))]]))
    assert torch.allclose(log_prob(logits, actions), expected)


def test_routes_come_from_their_own_generator():
    logits = torch.tensor([0.3, -1.0, 2.0, 0.0, -0.2])
    torch.manual_seed(7)
    from_global = tool_distribution(logits).sample((6,))
    sampler = torch.Generator().manual_seed(7)
    torch.rand(100)  # what a model loading in between would draw from the global generator
    routes = sample_routes(logits, 6, sampler)
    # the same draws as the global generator's from the same state: saved states resume unchanged
    assert routes.shape == (6, 5) and torch.equal(routes, from_global)
    assert not torch.equal(sample_routes(logits, 6, sampler), routes)


def test_the_clip_stops_each_tools_gain_beyond_the_trust_region():
    old = torch.zeros(2, 2)
    advantages = torch.tensor([1.0, -1.0])
    new = torch.log(torch.tensor([[2.0, 1.1], [0.5, 0.95]]))
    # sample 1 (A=+1): tool ratios 2 -> clipped 1.2, 1.1 kept; sample 2 (A=-1): 0.5 -> 0.8, 0.95 kept
    expected = -torch.tensor([1.2, 1.1, -0.8, -0.95]).mean()
    assert torch.isclose(clipped_policy_loss(new, old, advantages, 0.2), expected)


def test_grpo_learns_which_tool_each_kind_of_question_needs():
    """A contextual bandit shaped like routing: question kind k is answered right only when
    tool k is called, and every call costs a little. GRPO with the policy network must learn
    to call exactly the needed tool."""
    torch.manual_seed(0)
    n_tools, kinds, group = 4, 4, 8
    contexts = torch.eye(kinds) + 0.05 * torch.randn(kinds, kinds)
    policy = policy_network(kinds, n_tools, hidden=32)
    optimizer = torch.optim.Adam(policy.parameters(), lr=0.02)
    for _ in range(150):
        obs = contexts.repeat_interleave(group, 0)
        groups = torch.arange(kinds).repeat_interleave(group)
        with torch.no_grad():
            actions = tool_distribution(policy(obs)).sample()
            old = log_prob(policy(obs), actions)
        rewards = actions[torch.arange(len(actions)), groups] - 0.1 * actions.sum(-1)
        advantages = group_advantages(rewards, groups)
        for _ in range(2):
            loss = clipped_policy_loss(log_prob(policy(obs), actions), old, advantages, 0.2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        calls = torch.sigmoid(policy(contexts)) >= 0.5
    assert torch.equal(calls, torch.eye(kinds, dtype=torch.bool))


def test_clipped_updates_move_the_policy_towards_the_rewarded_route():
    from audiorouter.training.algorithms import clipped_updates

    torch.manual_seed(0)
    policy = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(policy.parameters(), lr=0.05)
    obs = torch.ones(4, 3)
    actions = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    advantages = torch.tensor([1.0, 1.0, -1.0, -1.0])  # tool 0 helped, tool 1 did not
    before = torch.sigmoid(policy(obs[:1]))[0].detach()
    logged = clipped_updates(policy, optimizer, obs, actions, advantages, epochs=4, clip_coef=0.2, ent_coef=0.0)
    after = torch.sigmoid(policy(obs[:1]))[0].detach()
    assert after[0] > before[0] and after[1] < before[1]
    assert set(logged) == {"loss", "entropy", "p_call"} and logged["p_call"] == round(after.mean().item(), 4)
